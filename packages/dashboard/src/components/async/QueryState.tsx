import type { ReactNode } from 'react';
import { EmptyState } from './EmptyState';
import { ErrorState } from './ErrorState';
import { LoadingState } from './LoadingState';

/** The parts of an RTK Query hook result this needs (any `useXQuery()` result fits). */
export interface QueryLike<T> {
  data?: T;
  error?: unknown;
  isLoading: boolean;
  isFetching: boolean;
  refetch: () => unknown;
}

export interface QueryStateProps<T> {
  query: QueryLike<T>;
  /** When the loaded data counts as empty; defaults to "an empty array". */
  isEmpty?: (data: T) => boolean;
  emptyTitle: string;
  emptyDescription?: ReactNode;
  errorTitle?: string;
  loading?: ReactNode;
  children: (data: T) => ReactNode;
}

const isEmptyArray = (data: unknown) => Array.isArray(data) && data.length === 0;

/**
 * Skeleton → Empty → Error → content, the async pattern of every list view (docs/dashboard.md, "Async states").
 * An error with older data still on screen keeps the data (a failed poll should not blank the page).
 */
export function QueryState<T>({
  query,
  isEmpty = isEmptyArray,
  emptyTitle,
  emptyDescription,
  errorTitle,
  loading,
  children,
}: QueryStateProps<T>) {
  const refetch = () => void query.refetch();
  if (query.isLoading) return <>{loading ?? <LoadingState />}</>;
  if (query.error && query.data === undefined) {
    return <ErrorState error={query.error} title={errorTitle} onRetry={refetch} retrying={query.isFetching} />;
  }
  if (query.data === undefined) return <>{loading ?? <LoadingState />}</>;
  if (isEmpty(query.data)) {
    return (
      <EmptyState title={emptyTitle} description={emptyDescription} onRefresh={refetch} refreshing={query.isFetching} />
    );
  }
  return <>{children(query.data)}</>;
}
