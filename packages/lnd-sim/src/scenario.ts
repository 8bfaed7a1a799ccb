/**
 * Scripted streams: exactly which messages a SubscribeHtlcEvents stream gets.
 * The same shape is a JS object (startSimNode({ scenario })) or a JSON file
 * (htlc-tail-sim --scenario FILE):
 *
 *   {
 *     "subscribed": true,             // send lnd's subscribed_event first (default true; false = lnd < 0.16)
 *     "steps": [ ... ],               // for every connection, unless "connections" is given
 *     "connections": [[...], [...]],  // per connection: [0] the first, [1] the second, ...;
 *                                     // the last entry serves every later connection
 *     "then": "hold"                  // after the steps: "hold" the stream open (default),
 *                                     // "end" it normally, or "traffic" (join the live traffic)
 *   }
 *
 * Steps:
 *   { "send": <HtlcEvent in proto-loader form, uint64 as strings> }   (no timestamp_ns = now)
 *   { "sleep": <ms> }
 *   { "error": "htlc event subscription terminated", "code": 2 }     (end with that status; code default UNKNOWN)
 *   { "end": true }                                                   (end with status OK)
 *   { "generate": <n> }          n realistic events from the seeded traffic generator, back to back
 *   { "repeat": <n>, "steps": [...] }
 *
 * A burst followed at once by an error (grpc-js issue 2764) is
 * `[{ "generate": 50 }, { "error": "htlc event subscription terminated" }]`.
 */
import { readFile } from 'node:fs/promises';
import { fromProtoObject, type HtlcEventObject } from './wire-event.js';

export type ScenarioStep =
  | { readonly send: HtlcEventObject }
  | { readonly sleep: number }
  | { readonly error: string; readonly code?: number }
  | { readonly end: true }
  | { readonly generate: number }
  | { readonly repeat: number; readonly steps: readonly ScenarioStep[] };

export interface Scenario {
  readonly subscribed?: boolean;
  readonly steps?: readonly ScenarioStep[];
  readonly connections?: readonly (readonly ScenarioStep[])[];
  readonly then?: 'hold' | 'end' | 'traffic';
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkCount(v: unknown, where: string, what: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new ScenarioError(`${where}: ${what} must be a whole number >= 0`);
}

function checkSteps(v: unknown, where: string): void {
  if (!Array.isArray(v)) throw new ScenarioError(`${where}: expected a list of steps`);
  v.forEach((step, i) => checkStep(step, `${where}[${i}]`));
}

function checkStep(step: unknown, where: string): void {
  if (!isObject(step)) throw new ScenarioError(`${where}: a step must be an object`);
  const keys = Object.keys(step);
  if ('send' in step) {
    if (!isObject(step.send)) throw new ScenarioError(`${where}.send: expected an HtlcEvent object`);
    try {
      fromProtoObject(step.send, 0n);
    } catch (err) {
      throw new ScenarioError(`${where}.send: ${(err as Error).message}`);
    }
  } else if ('sleep' in step) checkCount(step.sleep, where, 'sleep');
  else if ('error' in step) {
    if (typeof step.error !== 'string') throw new ScenarioError(`${where}: error must be the status message text`);
    if (
      step.code !== undefined &&
      (typeof step.code !== 'number' || !Number.isInteger(step.code) || step.code < 1 || step.code > 16)
    ) {
      throw new ScenarioError(`${where}: code must be a gRPC status code 1-16`);
    }
  } else if ('end' in step) {
    if (step.end !== true) throw new ScenarioError(`${where}: end must be true`);
  } else if ('generate' in step) checkCount(step.generate, where, 'generate');
  else if ('repeat' in step) {
    checkCount(step.repeat, where, 'repeat');
    checkSteps(step.steps, `${where}.steps`);
  } else
    throw new ScenarioError(
      `${where}: unknown step ${JSON.stringify(keys)}; expected send, sleep, error, end, generate or repeat`,
    );
}

/** Validates a scenario (from JSON or code). Throws ScenarioError naming the bad step. */
export function parseScenario(value: unknown): Scenario {
  if (Array.isArray(value)) value = { steps: value };
  if (!isObject(value)) throw new ScenarioError('scenario: expected an object with "steps" or "connections"');
  if (value.steps !== undefined) checkSteps(value.steps, 'steps');
  if (value.connections !== undefined) {
    if (!Array.isArray(value.connections) || value.connections.length === 0) {
      throw new ScenarioError('connections: expected a non-empty list of step lists');
    }
    value.connections.forEach((c, i) => checkSteps(c, `connections[${i}]`));
  }
  if (value.subscribed !== undefined && typeof value.subscribed !== 'boolean')
    throw new ScenarioError('subscribed: expected true or false');
  if (value.then !== undefined && !['hold', 'end', 'traffic'].includes(value.then as string)) {
    throw new ScenarioError('then: expected "hold", "end" or "traffic"');
  }
  return value;
}

export async function loadScenarioFile(file: string): Promise<Scenario> {
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  try {
    return parseScenario(json);
  } catch (err) {
    throw new ScenarioError(`${file}: ${(err as Error).message}`);
  }
}

/** The steps for the connection with this 0-based index. */
export function stepsForConnection(s: Scenario, index: number): readonly ScenarioStep[] {
  if (s.connections && s.connections.length > 0) return s.connections[Math.min(index, s.connections.length - 1)]!;
  return s.steps ?? [];
}
