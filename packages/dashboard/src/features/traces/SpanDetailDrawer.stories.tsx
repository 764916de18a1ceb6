import type { Meta, StoryObj } from '@storybook/react-vite';
import { Box } from '@mantine/core';
import { expect, waitFor } from 'storybook/test';
import SpanDetailDrawer from './SpanDetailDrawer';
import { AGENT_RUN_ATTEMPT_ID, AGENT_RUN_IDS, AGENT_RUN_ROLLOUT_ID } from './fixtures';
import { failingSpansHandlers, spansHandlers } from './stories/handlers';

function Drawer({ spanId }: { spanId: string }) {
  return (
    <Box p="md" bg="var(--mantine-color-body)" maw={720} mih="100vh">
      <SpanDetailDrawer rolloutId={AGENT_RUN_ROLLOUT_ID} attemptId={AGENT_RUN_ATTEMPT_ID} spanId={spanId} />
    </Box>
  );
}

const meta = {
  title: 'Features/Traces/SpanDetailDrawer',
  component: Drawer,
  parameters: { msw: { handlers: spansHandlers() } },
  args: { spanId: AGENT_RUN_IDS.llmGenAi },
} satisfies Meta<typeof Drawer>;

export default meta;
type Story = StoryObj<typeof meta>;

export const LlmChat: Story = {
  play: async ({ canvas, userEvent }) => {
    await expect(await canvas.findByTestId('span-detail-name')).toHaveTextContent('openai.chat.completion');
    const messages = canvas.getAllByTestId('chat-message');
    await expect(messages.map((m) => m.dataset.role)).toEqual(['system', 'user', 'assistant']);
    // Markup in a prompt is shown as the characters it is made of.
    await expect(canvas.getByText(/<b>Answer in plain text\.<\/b>/)).toBeVisible();
    await expect(canvas.getByText('calculator')).toBeVisible();
    await expect(canvas.getByTestId('llm-tokens')).toHaveTextContent('58 prompt · 21 completion · 79 total');
    const counts = canvas.getAllByTestId('token-id-count');
    await expect(counts.map((c) => c.textContent)).toEqual(['58 tokens', '21 tokens']);
    await userEvent.click(canvas.getAllByRole('button', { name: 'Show ids' })[1]!);
    await expect(canvas.getByText(/^1000, 1013, 1026/)).toBeVisible();
  },
};

export const LlmChatDark: Story = { ...LlmChat, globals: { theme: 'dark' } };

export const OpenInferenceChat: Story = {
  args: { spanId: AGENT_RUN_IDS.llmOpenInference },
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getAllByTestId('chat-message')).toHaveLength(4));
    await expect(canvas.getByTestId('llm-model')).toHaveTextContent('hosted_vllm/Qwen/Qwen2.5-1.5B-Instruct');
  },
};

export const Reward: Story = {
  args: { spanId: AGENT_RUN_IDS.annotation },
  play: async ({ canvas }) => {
    await expect(await canvas.findByTestId('reward-value')).toHaveTextContent('1');
    await expect(canvas.getByTestId('reward-callout')).toHaveTextContent(/task_success \(primary\):\s*1/);
    await expect(canvas.getByTestId('reward-callout')).toHaveTextContent(/efficiency:\s*0\.6/);
  },
};

export const RewardDark: Story = { ...Reward, globals: { theme: 'dark' } };

export const ErrorSpanWithEvent: Story = {
  args: { spanId: AGENT_RUN_IDS.errorTool },
  play: async ({ canvas, userEvent }) => {
    await expect(await canvas.findByText(/TimeoutError: search backend/)).toBeVisible();
    await userEvent.click(canvas.getByRole('tab', { name: /Events \(1\)/ }));
    await expect(await canvas.findByText('exception')).toBeVisible();
    await expect(canvas.getByText('exception.stacktrace')).toBeVisible();
  },
};

export const AttributesAndRawJson: Story = {
  args: { spanId: AGENT_RUN_IDS.tool },
  play: async ({ canvas, userEvent }) => {
    // tool.parameters is JSON text: shown pretty-printed.
    await expect(await canvas.findByText(/"expression": "17 \* 23"/)).toBeVisible();
    await userEvent.click(canvas.getByRole('tab', { name: 'Raw JSON' }));
    await expect(await canvas.findByRole('button', { name: 'Copy JSON' })).toBeVisible();
  },
};

export const LoadFailed: Story = {
  parameters: { msw: { handlers: failingSpansHandlers } },
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('store unavailable')).toBeVisible();
  },
};
