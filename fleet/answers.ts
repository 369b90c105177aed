/**
 * The fleet's "models": deterministic functions of the input text. Same input, same answer, on
 * every machine; no weights, no randomness.
 */

/** Whitespace tokens: the fleet's token count for usage figures. */
export function countTokens(text: string): number {
  const trimmed = text.trim();
  return trimmed === "" ? 0 : trimmed.split(/\s+/).length;
}

/**
 * Splits text into stream chunks, one per whitespace token, each carrying its trailing
 * whitespace, so that joining the chunks gives back the text exactly.
 */
export function tokenChunks(text: string): string[] {
  const leading = /^\s*/.exec(text)?.[0] ?? "";
  const chunks = text.slice(leading.length).match(/\S+\s*/g) ?? [];
  if (leading && chunks.length > 0) chunks[0] = leading + chunks[0];
  return chunks;
}

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
}

export function firstSentence(text: string): string {
  const normalized = text.trim().replace(/\s+/g, " ");
  const match = /^.*?[.!?](?=\s|$)/.exec(normalized);
  return (match ? match[0] : normalized).trim();
}

const STOPWORDS = new Set(
  (
    "a an and are as at be but by for from has have he her his i in is it its of on or our she so that the their them " +
    "they this to was we were what when which who will with you your not can do does did than then there these those " +
    "into about over after before also been being just more most other some such only very"
  ).split(" "),
);

/** The most frequent non-stopwords, ties broken by first appearance. */
export function keyTerms(text: string, count: number): string[] {
  const frequency = new Map<string, { n: number; first: number }>();
  words(text).forEach((word, index) => {
    if (STOPWORDS.has(word) || word.length < 3) return;
    const entry = frequency.get(word);
    if (entry) entry.n++;
    else frequency.set(word, { n: 1, first: index });
  });
  return [...frequency.entries()]
    .sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first)
    .slice(0, count)
    .map(([word]) => word);
}

export function summarize(text: string): string {
  const body = text.trim();
  if (body === "") return "Nothing to summarize.";
  return `${firstSentence(body)} (${countTokens(body)} words)`;
}

// ---------------------------------------------------------------------------------------------
// OpenAI-compatible chat agents

const SUMMARY_PREFIX = /^\s*(?:summari[sz]e|tl;?dr)\b[:\s-]*/i;

/** atlas-chat: general chat; "summarize: …" gets the first sentence and a word count. */
export function atlasReply(model: string, userText: string): string {
  const text = userText.trim();
  if (text === "") return `${model}: Hello! Send me a message and I will answer it.`;
  if (SUMMARY_PREFIX.test(text)) return `${model}: Summary: ${summarize(text.replace(SUMMARY_PREFIX, ""))}`;
  return `${model}: You said: ${text.replace(/\s+/g, " ")}`;
}

const LANGUAGE_HINTS: [string, RegExp][] = [
  ["TypeScript", /\b(interface|type)\s+\w+\s*[={]|:\s*(string|number|boolean)\b/],
  ["Python", /^\s*(def|class)\s+\w+.*:\s*$|^\s*import\s+\w+\s*$/m],
  ["Go", /\bfunc\s+\w+\s*\(|\bpackage\s+\w+/],
  ["Rust", /\bfn\s+\w+\s*\(|\blet\s+mut\b/],
  ["SQL", /\bselect\b[\s\S]*\bfrom\b/i],
  ["JavaScript", /\bfunction\b|=>|\b(const|let|var)\s+\w+\s*=/],
];

/** nova-chat: explains code with deterministic structural facts about it. */
export function novaReply(model: string, userText: string): string {
  const code = userText.replace(/^\s*explain(?:\s+this)?(?:\s+code)?\s*[:-]?\s*/i, "").replace(/```\w*\n?/g, "");
  if (code.trim() === "") return `${model}: Paste some code and I will explain it.`;
  const language = LANGUAGE_HINTS.find(([, pattern]) => pattern.test(code))?.[0] ?? "plain text";
  const lines = code.split("\n").filter((line) => line.trim() !== "").length;
  const defined = [
    ...code.matchAll(/\b(?:function|def|fn|func|class|interface|type|const|let|var)\s+([A-Za-z_]\w*)/g),
  ].map((m) => m[1]);
  const calls = [...new Set([...code.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]))].filter(
    (name) => name && !defined.includes(name) && !["function", "if", "for", "while", "switch", "return", "def", "fn", "func"].includes(name),
  );
  const parts = [`This looks like ${language}: ${lines} line${lines === 1 ? "" : "s"}.`];
  parts.push(defined.length ? `It defines ${[...new Set(defined)].join(", ")}.` : "It defines nothing by name.");
  if (calls.length) parts.push(`It calls ${calls.slice(0, 5).join(", ")}.`);
  return `${model}: ${parts.join(" ")}`;
}

// ---------------------------------------------------------------------------------------------
// A2A agents

function pick<T>(items: readonly T[], seedText: string, salt: number): T {
  let h = salt;
  for (let i = 0; i < seedText.length; i++) h = (Math.imul(h, 31) + seedText.charCodeAt(i)) >>> 0;
  return items[h % items.length] as T;
}

function titleCase(text: string): string {
  return text.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
}

function places(text: string): { from?: string; to?: string } {
  const to = /\bto\s+([\p{L}][\p{L}\s]*?)(?=\s+(?:from|on|for|in|at|next|this|with)\b|[.,!?]|$)/iu.exec(text)?.[1];
  const from = /\bfrom\s+([\p{L}][\p{L}\s]*?)(?=\s+(?:to|on|for|in|at|next|this|with)\b|[.,!?]|$)/iu.exec(text)?.[1];
  const inCity = /\bin\s+([\p{L}][\p{L}\s]*?)(?=\s+(?:from|on|for|at|next|this|with)\b|[.,!?]|$)/iu.exec(text)?.[1];
  return { from: from && titleCase(from.trim()), to: (to ?? inCity) && titleCase((to ?? inCity ?? "").trim()) };
}

/** travel-planner: flight search, hotel booking, itinerary planning. */
export function travelReply(text: string): string {
  const { from, to } = places(text);
  const destination = to ?? "Lisbon";
  const days = Number(/\b(\d{1,2})\s*(?:day|night)s?\b/i.exec(text)?.[1] ?? 3);
  if (/\bflights?\b|\bfly\b/i.test(text)) {
    const airline = pick(["Helix Air", "Blue Meridian", "Northwind Airways"], text, 1);
    const price = 120 + pick([0, 35, 70, 105, 140, 175], text, 2);
    const hour = pick(["07:15", "09:40", "13:05", "18:30"], text, 3);
    return `Flight search: ${airline} from ${from ?? "your city"} to ${destination}, departs ${hour}, ${price} EUR, 1 stop or fewer.`;
  }
  if (/\bhotels?\b|\bstay\b|\broom\b/i.test(text)) {
    const hotel = pick(["Harbour View", "The Old Mill", "Casa Azul", "Grand Meridian"], text, 4);
    const rate = 80 + pick([0, 20, 40, 60], text, 5);
    return `Hotel booking: ${hotel} in ${destination}, ${days} night${days === 1 ? "" : "s"} at ${rate} EUR per night, total ${rate * days} EUR (held, not charged).`;
  }
  const activities = ["old town walking tour", "museum morning", "food market lunch", "riverside cycling", "sunset viewpoint"];
  const plan = Array.from({ length: Math.min(Math.max(days, 1), 7) }, (_, i) => `Day ${i + 1}: ${pick(activities, `${text}#${i}`, 6)}`);
  return `Itinerary for ${destination}: ${plan.join("; ")}.`;
}

const DICTIONARY: Record<string, Record<string, string>> = {
  es: { hello: "hola", world: "mundo", good: "bueno", morning: "mañana", thank: "gracias", thanks: "gracias", you: "tú", friend: "amigo", cat: "gato", dog: "perro", house: "casa", water: "agua", the: "el", is: "es", and: "y", yes: "sí", no: "no", please: "por favor", goodbye: "adiós", book: "libro", love: "amor" },
  fr: { hello: "bonjour", world: "monde", good: "bon", morning: "matin", thank: "merci", thanks: "merci", you: "vous", friend: "ami", cat: "chat", dog: "chien", house: "maison", water: "eau", the: "le", is: "est", and: "et", yes: "oui", no: "non", please: "s'il vous plaît", goodbye: "au revoir", book: "livre", love: "amour" },
  de: { hello: "hallo", world: "welt", good: "gut", morning: "morgen", thank: "danke", thanks: "danke", you: "du", friend: "freund", cat: "katze", dog: "hund", house: "haus", water: "wasser", the: "die", is: "ist", and: "und", yes: "ja", no: "nein", please: "bitte", goodbye: "auf wiedersehen", book: "buch", love: "liebe" },
};

const LANGUAGE_NAMES: Record<string, string> = { en: "English", es: "Spanish", fr: "French", de: "German" };

function languageCode(name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.entries(LANGUAGE_NAMES).find(([code, label]) => code === lower || label.toLowerCase() === lower)?.[0];
}

/** Which language the words come from, by dictionary hits (English when nothing matches). */
export function detectLanguage(text: string): { code: string; name: string; confidence: number } {
  const tokens = words(text);
  const scores: Record<string, number> = { en: 0, es: 0, fr: 0, de: 0 };
  const english = new Set(Object.keys(DICTIONARY.es ?? {}));
  for (const token of tokens) {
    if (english.has(token)) scores.en = (scores.en ?? 0) + 1;
    for (const [code, table] of Object.entries(DICTIONARY)) {
      if (Object.values(table).includes(token)) scores[code] = (scores[code] ?? 0) + 1;
    }
  }
  const [code, hits] = Object.entries(scores).sort((a, b) => b[1] - a[1])[0] ?? ["en", 0];
  const confidence = tokens.length === 0 ? 0 : Math.round((hits / tokens.length) * 100) / 100;
  return { code: hits === 0 ? "en" : code, name: LANGUAGE_NAMES[hits === 0 ? "en" : code] ?? "English", confidence };
}

/** English → es/fr/de with a tiny dictionary; unknown words pass through unchanged. */
export function translate(text: string, target: string): string {
  const table = DICTIONARY[target] ?? {};
  return text.replace(/[\p{L}']+/gu, (word) => {
    const key = word.toLowerCase();
    const translated = Object.hasOwn(table, key) ? table[key] : undefined;
    if (!translated) return word;
    return word[0] === word[0]?.toUpperCase() && word[0] !== word[0]?.toLowerCase()
      ? translated.charAt(0).toUpperCase() + translated.slice(1)
      : translated;
  });
}

/** translator: "translate to French: hello world", "detect language: hola mundo". */
export function translatorReply(text: string): string {
  const detect = /^\s*detect(?:\s+(?:the\s+)?language)?\s*(?:of)?\s*[:-]?\s*/i;
  if (detect.test(text)) {
    const sample = text.replace(detect, "");
    const found = detectLanguage(sample);
    return `Detected language: ${found.name} (${found.code}), confidence ${found.confidence}.`;
  }
  const instruction = /^\s*translate(?:\s+(?:this|it))?(?:\s+(?:from\s+\p{L}+\s+)?(?:to|into)\s+(\p{L}+))?\s*[:-]?\s*/iu.exec(text);
  const target = (instruction?.[1] && languageCode(instruction[1])) || "es";
  const source = instruction ? text.slice(instruction[0].length) : text;
  const label = LANGUAGE_NAMES[target] ?? target;
  return `${label}: ${translate(source.trim(), target)}`;
}

/** doc-summarizer: summary (first sentence + word count) or key points. */
export function summarizerReply(text: string): string {
  const keyPoints = /^\s*(?:extract\s+)?key\s*points?\s*(?:of|from)?\s*[:-]?\s*/i;
  if (keyPoints.test(text)) {
    const body = text.replace(keyPoints, "");
    const sentences = body.match(/[^.!?]+[.!?]?/g)?.map((s) => s.trim()).filter(Boolean) ?? [];
    const terms = keyTerms(body, 3);
    const points = sentences.slice(0, 3).map((s, i) => `${i + 1}. ${s}`);
    return `Key points (${sentences.length} sentence${sentences.length === 1 ? "" : "s"}; terms: ${terms.join(", ") || "none"}):\n${points.join("\n") || "none"}`;
  }
  const body = text.replace(/^\s*summari[sz]e\s*(?:this)?\s*[:-]?\s*/i, "");
  return `Summary: ${summarize(body)}`;
}

// ---------------------------------------------------------------------------------------------
// MCP text tools

export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
