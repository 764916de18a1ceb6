/** The heavy half of JsonBlock, loaded lazily: Mantine CodeHighlight with highlight.js (JSON grammar only). */
import '@mantine/code-highlight/styles.css';
import './hljs-theme.css';
import { ScrollArea } from '@mantine/core';
import { CodeHighlight, CodeHighlightAdapterProvider, createHighlightJsAdapter } from '@mantine/code-highlight';
import hljs from 'highlight.js/lib/core';
import json from 'highlight.js/lib/languages/json';

hljs.registerLanguage('json', json);
const adapter = createHighlightJsAdapter(hljs);

export default function JsonHighlight({ code, maxHeight }: { code: string; maxHeight?: number | string }) {
  return (
    <CodeHighlightAdapterProvider adapter={adapter}>
      <ScrollArea.Autosize mah={maxHeight}>
        <CodeHighlight code={code} language="json" withCopyButton={false} radius="sm" data-testid="json-highlighted" />
      </ScrollArea.Autosize>
    </CodeHighlightAdapterProvider>
  );
}
