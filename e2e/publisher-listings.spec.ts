import { createHash, generateKeyPairSync } from "node:crypto";
import { expect, test } from "@playwright/test";
import { db } from "@/server/db";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { signInWithPassword } from "./support/auth";
import { seedOrg, seedUser, unique } from "./support/seed";

const apiFor = (user: { id: string }) => createCaller(createContext({ db: db(), session: { id: user.id } }));

const ICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#4f46e5"/></svg>';

test("publisher listings: create a listing, publish a version signed in the browser, reply to a review, yank the version", async ({ page, browser }) => {
  // A publisher with a key made here; only its public half is registered.
  const owner = await seedUser("listing-publisher");
  const org = await seedOrg(owner, "publisher");
  const api = apiFor(owner);
  const publisher = await api.marketplace.publisher.create({ orgSlug: org.slug, slug: unique("e2e-publisher"), displayName: `E2E Publisher ${unique("p").slice(2)}` });
  try {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const privatePem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    await api.marketplace.publisher.addKey({ orgSlug: org.slug, publicKey: publicKey.export({ format: "pem", type: "spki" }).toString(), label: "e2e laptop" });
    const rawPublic = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
    const keyId = `ed25519:${createHash("sha256").update(rawPublic).digest().subarray(0, 16).toString("hex")}`;

    // Every request the browser makes, to show the private key never leaves it.
    const sentBodies: string[] = [];
    page.on("request", (request) => {
      const body = request.postData();
      if (body) sentBodies.push(body);
    });

    await signInWithPassword(page, owner.email, owner.password);

    // 1. A new listing: a draft, with a live README preview sanitized like the public page.
    const name = `Header stamp ${unique("x").slice(2)}`;
    const slug = name.toLowerCase().replace(/ /g, "-");
    await page.goto(`/o/${org.slug}/publisher/listings/new`);
    await expect(page.getByRole("heading", { level: 1, name: "New listing" })).toBeVisible();
    const form = page.getByRole("form", { name: "New listing" });
    await form.getByRole("combobox", { name: "Kind" }).selectOption({ label: "Gateway plugin" });
    await form.getByRole("textbox", { name: "Name", exact: true }).fill(name);
    await expect(form.getByRole("textbox", { name: "Slug", exact: true })).toHaveValue(slug);
    await form.getByRole("textbox", { name: "Summary", exact: true }).fill("Stamps every request with a tracing header.");
    await form.getByRole("textbox", { name: "README", exact: true }).fill("# Header stamp\n\nAdds `x-stamp` to requests.<script>window.pwned = 1</script>\n\n| hook | when |\n| --- | --- |\n| before_request | always |");
    const preview = page.getByRole("region", { name: "README preview" });
    // One level down, as on the listing page: the README's "#" sits under the page's h1.
    await expect(preview.getByRole("heading", { level: 2, name: "Header stamp" })).toBeVisible();
    await expect(preview.getByRole("cell", { name: "before_request" })).toBeVisible();
    await expect(preview.locator("script")).toHaveCount(0);

    // An icon over the size limit is refused before anything is sent; a pasted SVG is previewed.
    await form.locator('input[type="file"][accept*="image/png"]').setInputFiles({ name: "huge.png", mimeType: "image/png", buffer: Buffer.alloc(70 * 1024, 1) });
    await expect(form.getByRole("alert").filter({ hasText: "huge.png is 70 KB; the most an icon may have is 64 KB" })).toBeVisible();
    await form.getByRole("textbox", { name: "Or paste SVG markup or a data: URL" }).fill(ICON_SVG);
    await expect(form.getByRole("img", { name: "Icon preview" })).toBeVisible();

    await form.getByRole("checkbox", { name: "Security" }).check();
    await form.getByRole("textbox", { name: "Tags", exact: true }).fill("headers, tracing");
    await form.getByRole("combobox", { name: "Licence", exact: true }).fill("MIT");
    await form.getByRole("button", { name: "Create listing" }).click();
    await expect(page).toHaveURL(`/o/${org.slug}/publisher/listings/${slug}`);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByText("Draft: not public")).toBeVisible();
    // Not in the marketplace yet.
    expect((await page.request.get(`/marketplace/${slug}`)).status()).toBe(404);

    // 2. Version 1.0.0: the manifest is checked as typed (errors by field), then signed here.
    const publish = page.getByRole("form", { name: `Publish a version of ${name}` });
    await publish.getByRole("textbox", { name: "Version", exact: true }).fill("1.0.0");
    await publish.getByRole("textbox", { name: "Changelog", exact: true }).fill("First release: stamps requests.");
    const manifest = publish.getByRole("textbox", { name: "Manifest (JSON)" });
    await manifest.fill(JSON.stringify({ kind: "GATEWAY_PLUGIN", serviceUrl: "ftp://plugins.example.com", hooks: ["sometimes"] }));
    await manifest.blur();
    const manifestErrors = publish.getByRole("alert").filter({ hasText: "manifest.hooks.0" });
    await expect(manifestErrors).toContainText("manifest.serviceUrl: A plugin service URL is http:// or https://");
    await expect(manifestErrors).toContainText("manifest.hooks.0: A hook point is before_request, after_response, stream_chunk");
    await manifest.fill(JSON.stringify({ kind: "GATEWAY_PLUGIN", serviceUrl: "http://127.0.0.1:9/stamp", hooks: ["before_request"] }, null, 2));
    await expect(publish.getByTestId("manifest-valid")).toHaveText("A valid gateway plugin manifest.");
    await expect(publish.getByText("It never leaves this browser.")).toBeVisible();
    await publish.getByRole("textbox", { name: "Private key (PKCS#8 PEM)" }).fill(privatePem);
    await expect(publish.getByTestId("signing-key-status")).toContainText(`Signs as ${keyId} (e2e laptop)`);
    await publish.getByRole("button", { name: "Sign and publish" }).click();

    const v1 = page.getByTestId("version-1.0.0");
    await expect(v1).toContainText("Latest");
    await expect(v1).toContainText("First release: stamps requests.");
    await expect(v1).toContainText(keyId);
    await expect(page.getByText("Draft: not public")).toHaveCount(0);
    const privateBody = privatePem.split("\n")[1]!;
    expect(sentBodies.some((b) => b.includes("PRIVATE KEY") || b.includes(privateBody))).toBe(false);
    expect(sentBodies.some((b) => b.includes(keyId))).toBe(true);

    // 3. Public now, as published.
    await page.getByRole("link", { name: "View in the marketplace" }).click();
    await expect(page).toHaveURL(`/marketplace/${slug}`);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByRole("region", { name: "README" }).getByRole("heading", { name: "Header stamp" })).toBeVisible();
    await expect(page.getByTestId("version-1.0.0")).toContainText("Latest");

    // 4. Someone reviews it; the publisher's admin replies on the listing page, then edits the reply.
    const reviewer = await seedUser("listing-reviewer");
    const listingId = (await api.marketplace.listing.own({ orgSlug: org.slug, listingSlug: slug })).id;
    await apiFor(reviewer).marketplace.review.upsert({ listingId, rating: 3, body: "Works, but the header name should be configurable." });
    await page.reload();
    await expect(page.getByTestId("publisher-note")).toContainText(`You publish this listing as ${org.name}`);
    await expect(page.getByRole("form", { name: "Write a review" })).toHaveCount(0);
    const review = page.getByRole("article", { name: `Review by ${reviewer.name}` });
    await review.getByRole("button", { name: `Reply to the review by ${reviewer.name}` }).click();
    const replyForm = review.getByRole("form", { name: `Reply to the review by ${reviewer.name}` });
    await replyForm.getByRole("textbox", { name: `Your reply as ${org.name}` }).fill("Thanks! A setting for it is coming in 1.1.0.");
    await replyForm.getByRole("button", { name: "Post reply" }).click();
    const reply = review.getByTestId("review-reply");
    await expect(reply).toContainText(`Reply from ${publisher.displayName}`);
    await expect(reply).toContainText("Thanks! A setting for it is coming in 1.1.0.");

    await review.getByRole("button", { name: `Edit reply to the review by ${reviewer.name}` }).click();
    await expect(replyForm.getByRole("textbox", { name: `Your reply as ${org.name}` })).toHaveValue("Thanks! A setting for it is coming in 1.1.0.");
    await replyForm.getByRole("textbox", { name: `Your reply as ${org.name}` }).fill("Thanks! The header name is a setting from 1.1.0 on.");
    await replyForm.getByRole("button", { name: "Update reply" }).click();
    await expect(reply).toContainText("Thanks! The header name is a setting from 1.1.0 on.");

    // Visitors read the reply; only the publisher's admins can reply.
    const visitor = await browser.newPage();
    await visitor.goto(`/marketplace/${slug}`);
    const seen = visitor.getByRole("article", { name: `Review by ${reviewer.name}` });
    await expect(seen.getByTestId("review-reply")).toContainText("The header name is a setting from 1.1.0 on.");
    await expect(seen.getByRole("button", { name: /reply/i })).toHaveCount(0);
    await visitor.close();

    // 5. Yank 1.0.0 from the console, with a reason, after confirming.
    await page.goto(`/o/${org.slug}/publisher/listings/${slug}`);
    await page.getByTestId("version-1.0.0").getByRole("button", { name: "Yank version 1.0.0" }).click();
    const confirm = page.getByRole("alertdialog", { name: `Yank ${name} 1.0.0?` });
    await expect(confirm).toContainText("It is the last installable version");
    await confirm.getByRole("textbox", { name: "Reason" }).fill("Stamps the wrong header name.");
    await confirm.getByRole("button", { name: "Yank 1.0.0" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByTestId("version-1.0.0")).toContainText("Yanked");
    await expect(page.getByTestId("version-1.0.0")).toContainText("Stamps the wrong header name.");
    await expect(page.getByTestId("version-1.0.0").getByRole("button", { name: "Yank version 1.0.0" })).toHaveCount(0);
    await expect(page.getByText("Every version yanked")).toBeVisible();

    await page.goto(`/marketplace/${slug}`);
    await expect(page.getByTestId("version-1.0.0")).toContainText("Yanked: Stamps the wrong header name.");
    await expect(page.getByRole("complementary", { name: "About this listing" })).toContainText("None installable");
  } finally {
    // The catalog is shared with the other specs: the publisher goes, and its listings, versions and reviews with it.
    await db().publisher.delete({ where: { id: publisher.id } });
  }
});
