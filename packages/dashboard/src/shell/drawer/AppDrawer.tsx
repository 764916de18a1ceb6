import { lazy, Suspense } from 'react';
import { Center, Drawer, Loader } from '@mantine/core';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { closeDrawer, type DrawerContent } from '../../app/slices/drawers';
import { RawJsonDrawerBody, rawJsonTitle } from './RawJsonDrawerBody';

// Owned by the Traces feature; loaded only when a span detail is opened.
const SpanDetailDrawer = lazy(() => import('../../features/traces/SpanDetailDrawer'));

function titleOf(content: DrawerContent): string {
  return content.type === 'rawJson' ? rawJsonTitle(content.subject) : `Span ${content.spanId}`;
}

/** The one right-hand drawer. Redux says what it shows (ids + type); the body reads the data from the API cache. */
export function AppDrawer() {
  const content = useAppSelector((state) => state.ui.drawers.content);
  const dispatch = useAppDispatch();
  return (
    <Drawer
      opened={content !== null}
      onClose={() => dispatch(closeDrawer())}
      position="right"
      size="xl"
      title={content ? titleOf(content) : undefined}
      styles={{ title: { fontWeight: 600 } }}
    >
      <Suspense
        fallback={
          <Center py="xl">
            <Loader size="sm" />
          </Center>
        }
      >
        {content?.type === 'rawJson' && <RawJsonDrawerBody subject={content.subject} />}
        {content?.type === 'spanDetail' && (
          <SpanDetailDrawer rolloutId={content.rolloutId} attemptId={content.attemptId} spanId={content.spanId} />
        )}
      </Suspense>
    </Drawer>
  );
}
