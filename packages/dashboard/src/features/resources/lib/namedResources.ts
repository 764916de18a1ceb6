/** How one named resource reads on the detail panel: LLM endpoints with a masked key, or a prompt template. */
import type { NamedResources, Resource } from '@agl/schemas';

export type ResourceView =
  | {
      kind: 'llm';
      name: string;
      resourceType: 'llm' | 'proxy_llm';
      endpoint: string;
      model: string;
      apiKey: string | null;
      sampling: [string, string][];
    }
  | { kind: 'prompt_template'; name: string; engine: string; template: string }
  /** A resource type this dashboard does not know yet (a newer server): shown as raw JSON. */
  | { kind: 'unknown'; name: string; resourceType: string; json: string };

export function resourceViews(resources: NamedResources | null | undefined): ResourceView[] {
  return Object.entries(resources ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, resource]) => resourceView(name, resource));
}

export function resourceView(name: string, resource: Resource): ResourceView {
  switch (resource.resource_type) {
    case 'llm':
    case 'proxy_llm':
      return {
        kind: 'llm',
        name,
        resourceType: resource.resource_type,
        endpoint: resource.endpoint,
        model: resource.model,
        apiKey: resource.api_key ?? null,
        sampling: Object.entries(resource.sampling_parameters ?? {}).map(([key, value]) => [key, samplingText(value)]),
      };
    case 'prompt_template':
      return { kind: 'prompt_template', name, engine: resource.engine, template: resource.template };
    default: {
      const unknown = resource as { resource_type?: unknown };
      return {
        kind: 'unknown',
        name,
        resourceType: String(unknown.resource_type),
        json: JSON.stringify(resource, null, 2),
      };
    }
  }
}

function samplingText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A masked key shows only that a key is set and its last 4 characters (as provider consoles do), and the same
 * number of dots whatever the key length so the mask does not leak it. Short keys are masked entirely.
 */
export function maskApiKey(key: string): string {
  const dots = '•'.repeat(8);
  return key.length >= 16 ? `${dots}${key.slice(-4)}` : dots;
}
