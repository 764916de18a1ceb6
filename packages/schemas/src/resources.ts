/** Resources: a discriminated union of named resources and versioned snapshots (docs/protocol.md §3.5). */
import { Type, type Static } from '@sinclair/typebox';
import { PROMPT_TEMPLATE_ENGINES } from './enums.js';
import { EpochSeconds, Literals, Nullable } from './helpers.js';

const llmFields = {
  endpoint: Type.String(),
  model: Type.String(),
  api_key: Nullable(Type.String(), { default: null }),
  sampling_parameters: Type.Record(Type.String(), Type.Unknown(), { default: {} }),
};

export const LlmSchema = Type.Object({ resource_type: Type.Literal('llm'), ...llmFields }, { $id: 'LLM' });
export type Llm = Static<typeof LlmSchema>;

/** Same fields as `llm`; clients insert `/rollout/{rid}/attempt/{aid}` into the endpoint themselves. */
export const ProxyLlmSchema = Type.Object(
  { resource_type: Type.Literal('proxy_llm'), ...llmFields },
  { $id: 'ProxyLLM' },
);
export type ProxyLlm = Static<typeof ProxyLlmSchema>;

export const PromptTemplateSchema = Type.Object(
  {
    resource_type: Type.Literal('prompt_template'),
    template: Type.String(),
    engine: Literals(PROMPT_TEMPLATE_ENGINES),
  },
  { $id: 'PromptTemplate' },
);
export type PromptTemplate = Static<typeof PromptTemplateSchema>;

/** The tag values in declaration order (quoted in `union_tag_invalid` messages). */
export const RESOURCE_TYPES = ['llm', 'proxy_llm', 'prompt_template'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const ResourceSchema = Type.Union([LlmSchema, ProxyLlmSchema, PromptTemplateSchema], {
  $id: 'Resource',
  discriminator: { propertyName: 'resource_type' },
});
export type Resource = Static<typeof ResourceSchema>;

/** `{ [name]: Resource }`; `{}` is valid. */
export const NamedResourcesSchema = Type.Record(Type.String(), ResourceSchema, { $id: 'NamedResources' });
export type NamedResources = Record<string, Resource>;

export const ResourcesUpdateSchema = Type.Object(
  {
    resources_id: Type.String(),
    create_time: EpochSeconds,
    update_time: EpochSeconds,
    version: Type.Integer({ description: '1 at creation, +1 per update of the same id' }),
    resources: NamedResourcesSchema,
  },
  { $id: 'ResourcesUpdate' },
);
export type ResourcesUpdate = Static<typeof ResourcesUpdateSchema>;
