#!/usr/bin/env node
// Verifies an audit log export (GET /api/orgs/<slug>/audit/export, JSON Lines) without HelixAgent:
// only Node built-ins, so an auditor can read and run it on its own.
//
//   node scripts/verify-audit-export.mjs audit.jsonl      (or - for stdin)
//
// Each line is one event in chain order. Its hash must equal
//   sha256hex(prevHash + "\n" + canonicalJson({ orgId, seq, actorEmail, action, targetType, targetId, before, after, at }))
// where canonical JSON sorts object keys at every depth and has no whitespace (RFC 8785 style), its
// prevHash the previous line's hash ("" on the first), and its seq the previous one plus 1 (1 first).
// Exit status: 0 intact, 1 broken (the first broken line is printed), 2 the file could not be read.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';

function canonicalJson(value) {
  return write(value) ?? 'null';
}

function write(value) {
  if (value !== null && typeof value === 'object' && typeof value.toJSON === 'function') value = value.toJSON();
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'object':
      if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
      return `{${Object.keys(value)
        .sort()
        .flatMap((key) => {
          const member = write(value[key]);
          return member === undefined ? [] : [`${JSON.stringify(key)}:${member}`];
        })
        .join(',')}}`;
    default:
      return undefined;
  }
}

const sha256hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

const isText = (v) => typeof v === 'string';
const isTextOrNull = (v) => v === null || typeof v === 'string';

/** Why this event breaks the chain after `prev` ({ seq, hash }), or null. */
function problem(event, prev) {
  if (!event || typeof event !== 'object' || Array.isArray(event)) return 'not an audit event (expected a JSON object)';
  for (const key of ['id', 'orgId', 'action', 'targetType', 'at']) if (!isText(event[key])) return `not an audit event: "${key}" is missing or not a string`;
  for (const key of ['actorEmail', 'targetId', 'prevHash', 'hash']) if (!isTextOrNull(event[key])) return `not an audit event: "${key}" is not a string or null`;
  if (event.seq === null) return 'not in the hash chain: the event was not sealed when the export was made';
  if (!Number.isInteger(event.seq)) return 'not an audit event: "seq" is not an integer';
  const expected = prev.seq + 1;
  if (event.seq > expected) {
    const which = event.seq - expected === 1 ? `event ${expected} is` : `events ${expected}-${event.seq - 1} are`;
    return `an event is missing before this one: ${which} not in the file`;
  }
  if (event.seq < expected) return `out of sequence: seq ${event.seq} where ${expected} was expected`;
  if (event.prevHash !== prev.hash) {
    return expected === 1 ? 'the first event must have prevHash ""' : `its prevHash does not match the hash of event ${prev.seq} (the line before)`;
  }
  const content = {
    orgId: event.orgId,
    seq: event.seq,
    actorEmail: event.actorEmail,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    before: event.before ?? null,
    after: event.after ?? null,
    at: event.at,
  };
  if (sha256hex(`${event.prevHash}\n${canonicalJson(content)}`) !== event.hash) return 'its content does not match its hash: the event was changed';
  return null;
}

/** Reads every line; prints the first broken one. Returns the last intact event and whether one broke. */
async function check(lines) {
  let prev = { seq: 0, hash: '' };
  let lineNo = 0;
  for await (const text of lines) {
    lineNo++;
    if (text.trim() === '') continue;
    let event;
    let reason;
    try {
      event = JSON.parse(text);
      reason = problem(event, prev);
    } catch {
      reason = 'not valid JSON';
    }
    if (reason) {
      const where = typeof event?.id === 'string' ? ` (seq ${event.seq ?? 'none'}, event ${event.id}, at ${event.at})` : '';
      console.log(`BROKEN at line ${lineNo}${where}: ${reason}`);
      return { prev, broken: true };
    }
    prev = { seq: event.seq, hash: event.hash };
  }
  return { prev, broken: false };
}

async function main() {
  const file = process.argv[2];
  if (!file || file === '-h' || file === '--help') {
    console.error('Usage: node scripts/verify-audit-export.mjs <audit-export.jsonl | ->');
    return 2;
  }
  let result;
  try {
    const input = file === '-' ? process.stdin : fs.createReadStream(file);
    result = await check(readline.createInterface({ input, crlfDelay: Infinity }));
  } catch (error) {
    console.error(`Cannot read ${file}: ${error.message}`);
    return 2;
  }
  const { prev, broken } = result;
  if (broken) return 1;
  if (prev.seq === 0) {
    console.log('BROKEN: the file holds no events');
    return 1;
  }
  console.log(`OK: ${prev.seq} events, chain intact. Last hash ${prev.hash} (a later export must show the same hash at event ${prev.seq}).`);
  return 0;
}

process.exitCode = await main();
