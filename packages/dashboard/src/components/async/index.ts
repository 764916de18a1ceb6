export { QueryState, type QueryLike, type QueryStateProps } from './QueryState';
export { LoadingState } from './LoadingState';
export { EmptyState, type EmptyStateProps } from './EmptyState';
export { ErrorState, type ErrorStateProps } from './ErrorState';
export { EmptyIllustration } from './EmptyIllustration';
export { errorMessage } from './errorMessage';
