/** The demo fleet: what agents exist, what they say they can do, and how they behave by default. */
import type { Behaviour } from "./behaviour";

export type FleetProtocol = "OPENAI" | "A2A" | "MCP";

/** A capability as advertised to users (A2A skills map onto the agent card one to one). */
export interface SkillSpec {
  id: string;
  name: string;
  description: string;
  tags: string[];
  examples: string[];
  inputModes?: string[];
  outputModes?: string[];
}

interface BaseSpec {
  /** Stable id, also the seed of the agent's PRNG unless `seed` is given. */
  id: string;
  name: string;
  description: string;
  version?: string;
  /** Overrides of DEFAULT_BEHAVIOUR for this agent. */
  behaviour?: Partial<Behaviour>;
  /** Seed of the agent's PRNG (default: a hash of the id, mixed with startFleet's seed). */
  seed?: number;
  /**
   * When set, work requests need `Authorization: Bearer <apiKey>` (401 otherwise). OpenAI: every
   * route; A2A: the JSON-RPC endpoint (the card stays public and declares a bearer scheme);
   * MCP: the /mcp endpoint.
   */
  apiKey?: string;
}

export interface OpenAiAgentSpec extends BaseSpec {
  protocol: "OPENAI";
  /** Model ids served by `GET /v1/models`; the first is the default. */
  models: string[];
  /** Which deterministic responder answers chat completions. */
  responder: "atlas" | "nova";
  skills: SkillSpec[];
}

export interface A2aAgentSpec extends BaseSpec {
  protocol: "A2A";
  responder: "travel" | "translator" | "summarizer";
  skills: SkillSpec[];
}

export interface McpAgentSpec extends BaseSpec {
  protocol: "MCP";
  toolset: "calc" | "text";
  /** Page size of `tools/list` (cursor pagination); omitted = one page with every tool. */
  toolsPageSize?: number;
  /** Answer POSTs with plain JSON instead of an SSE stream (both are valid Streamable HTTP). */
  jsonResponse?: boolean;
}

export type AgentSpec = OpenAiAgentSpec | A2aAgentSpec | McpAgentSpec;

const TEXT = ["text/plain"];

export const DEFAULT_FLEET: AgentSpec[] = [
  {
    id: "atlas-chat",
    protocol: "OPENAI",
    name: "Atlas Chat",
    description:
      "General-purpose conversational assistant behind an OpenAI-compatible Chat Completions API. Answers questions and summarizes text.",
    models: ["atlas-small", "atlas-large"],
    responder: "atlas",
    skills: [
      {
        id: "general-chat",
        name: "General chat",
        description: "Open-ended conversation and question answering.",
        tags: ["chat", "assistant", "conversation", "q&a"],
        examples: ["What can you do?", "Tell me about the weather in Lisbon."],
      },
      {
        id: "summarization",
        name: "Text summarization",
        description: "Summarizes a passage: first sentence plus a word count. Prefix the message with 'summarize:'.",
        tags: ["summarization", "tl;dr", "text"],
        examples: ["summarize: The quarterly report shows growth. Costs fell."],
      },
    ],
    behaviour: { latencyMedianMs: 60, latencyP99Ms: 400, ttftMs: 150, tokensPerSecond: 40 },
  },
  {
    id: "nova-chat",
    protocol: "OPENAI",
    name: "Nova Code",
    description:
      "Code explanation assistant behind an OpenAI-compatible Chat Completions API. Explains snippets: language, structure, definitions and calls.",
    models: ["nova-code"],
    responder: "nova",
    skills: [
      {
        id: "code-explanation",
        name: "Code explanation",
        description: "Explains what a code snippet defines and calls.",
        tags: ["code", "programming", "explain", "developer"],
        examples: ["explain: function add(a, b) { return a + b; }"],
      },
      {
        id: "language-identification",
        name: "Programming language identification",
        description: "Recognizes TypeScript, JavaScript, Python, Go, Rust and SQL snippets.",
        tags: ["code", "language detection", "programming"],
        examples: ["def greet(name):\n    return 'hi ' + name"],
      },
    ],
    behaviour: { latencyMedianMs: 120, latencyP99Ms: 900, errorRate: 0.02, ttftMs: 250, tokensPerSecond: 25 },
  },
  {
    id: "travel-planner",
    protocol: "A2A",
    name: "Travel Planner",
    description: "Plans trips over A2A: searches flights, books hotels and drafts day-by-day itineraries.",
    responder: "travel",
    skills: [
      {
        id: "flight-search",
        name: "Flight search",
        description: "Finds a flight between two cities with airline, departure time and fare.",
        tags: ["travel", "flights", "airline", "booking"],
        examples: ["Find a flight from Berlin to Lisbon next Friday"],
        inputModes: TEXT,
        outputModes: TEXT,
      },
      {
        id: "hotel-booking",
        name: "Hotel booking",
        description: "Holds a hotel room in a city for a number of nights and quotes the total.",
        tags: ["travel", "hotel", "accommodation", "booking"],
        examples: ["Book a hotel in Porto for 2 nights"],
        inputModes: TEXT,
        outputModes: TEXT,
      },
      {
        id: "itinerary-planning",
        name: "Itinerary planning",
        description: "Drafts a day-by-day itinerary for a destination.",
        tags: ["travel", "itinerary", "planning", "vacation"],
        examples: ["Plan a 3 day trip to Rome"],
        inputModes: TEXT,
        outputModes: TEXT,
      },
    ],
    behaviour: { latencyMedianMs: 80, latencyP99Ms: 600, errorRate: 0.01, ttftMs: 100, tokensPerSecond: 30 },
  },
  {
    id: "translator",
    protocol: "A2A",
    name: "Translator",
    description: "Translates short English text into Spanish, French or German and detects the language of a text, over A2A.",
    responder: "translator",
    skills: [
      {
        id: "translate-text",
        name: "Translate text",
        description: "Translates text from English into Spanish (default), French or German.",
        tags: ["translation", "language", "multilingual", "localization"],
        examples: ["translate to French: hello world", "translate: good morning friend"],
        inputModes: TEXT,
        outputModes: TEXT,
      },
      {
        id: "detect-language",
        name: "Detect language",
        description: "Identifies whether a text is English, Spanish, French or German.",
        tags: ["language detection", "language", "classification"],
        examples: ["detect language: hola mundo"],
        inputModes: TEXT,
        outputModes: TEXT,
      },
    ],
    behaviour: { latencyMedianMs: 30, latencyP99Ms: 150, ttftMs: 50, tokensPerSecond: 60 },
  },
  {
    id: "doc-summarizer",
    protocol: "A2A",
    name: "Document Summarizer",
    description: "Summarizes documents and extracts their key points, over A2A.",
    responder: "summarizer",
    skills: [
      {
        id: "summarize-document",
        name: "Summarize documents",
        description: "Returns the opening sentence of a document and its length in words.",
        tags: ["summarization", "documents", "reports", "text"],
        examples: ["summarize: The board approved the budget. Hiring resumes in May."],
        inputModes: TEXT,
        outputModes: TEXT,
      },
      {
        id: "extract-key-points",
        name: "Extract key points",
        description: "Lists the first sentences of a document and its most frequent terms.",
        tags: ["key points", "extraction", "documents", "notes"],
        examples: ["key points: Sales grew in Q3. Churn fell. Support costs rose."],
        inputModes: TEXT,
        outputModes: TEXT,
      },
    ],
    behaviour: { latencyMedianMs: 100, latencyP99Ms: 700, ttftMs: 120, tokensPerSecond: 35 },
  },
  {
    id: "calc-tools",
    protocol: "MCP",
    name: "Calculator Tools",
    description: "MCP server with arithmetic tools: add, subtract, multiply, divide and a safe expression evaluator.",
    toolset: "calc",
    toolsPageSize: 2,
    jsonResponse: true,
    behaviour: { latencyMedianMs: 5, latencyP99Ms: 40 },
  },
  {
    id: "text-tools",
    protocol: "MCP",
    name: "Text Tools",
    description: "MCP server with text utilities: word count, upper-casing, slugs and reversal.",
    toolset: "text",
    behaviour: { latencyMedianMs: 10, latencyP99Ms: 80, errorRate: 0.02 },
  },
];
