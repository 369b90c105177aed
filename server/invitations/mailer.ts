import nodemailer from "nodemailer";
import { env } from "@/server/env";

/** Sends the invitation link when SMTP is configured; without it the link is only shown to the inviter. */
export async function sendInvitationEmail(opts: {
  to: string;
  orgName: string;
  inviter: string;
  url: string;
}): Promise<{ emailed: boolean; error: string | null }> {
  const { SMTP_URL, SMTP_FROM } = env();
  if (!SMTP_URL) return { emailed: false, error: null };
  try {
    const transport = nodemailer.createTransport(SMTP_URL);
    await transport.sendMail({
      from: SMTP_FROM,
      to: opts.to,
      subject: `${opts.inviter} invited you to ${opts.orgName} on HelixAgent`,
      text: `${opts.inviter} invited you to join ${opts.orgName} on HelixAgent.\n\nAccept the invitation: ${opts.url}\n\nThe link expires; if it has, ask for a new one.`,
    });
    return { emailed: true, error: null };
  } catch (error) {
    return { emailed: false, error: error instanceof Error ? error.message : "The email could not be sent" };
  }
}
