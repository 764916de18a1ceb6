/** How the span drawer shows one attribute value: JSON text pretty-printed, long values collapsible. */
import type { AttributeValue } from '@agl/schemas';

export interface DisplayValue {
  /** What to show, as text (never interpreted as HTML). */
  text: string;
  /** The text is pretty-printed JSON (show it as code). */
  json: boolean;
  /** Too long to show in full by default. */
  long: boolean;
}

const LONG_CHARS = 240;
const LONG_LINES = 6;

export function displayAttributeValue(value: AttributeValue): DisplayValue {
  let text: string;
  let json = false;
  if (typeof value === 'string') {
    const pretty = prettyJson(value);
    json = pretty !== null;
    text = pretty ?? value;
  } else if (Array.isArray(value)) {
    text = JSON.stringify(value);
    json = true;
  } else {
    text = String(value);
  }
  return { text, json, long: text.length > LONG_CHARS || text.split('\n').length > LONG_LINES };
}

/** Pretty JSON for strings holding an object or array; `null` for anything else (plain prose stays as sent). */
export function prettyJson(raw: string): string | null {
  const trimmed = raw.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return null;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return null;
  }
}

/** Attribute entries sorted by key so related `gen_ai.prompt.N.*` keys sit together. */
export function sortedAttributes(attributes: Record<string, AttributeValue> | null | undefined) {
  return Object.entries(attributes ?? {}).sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }));
}
