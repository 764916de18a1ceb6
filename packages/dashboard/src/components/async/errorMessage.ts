import { isApiError } from '../../api/baseQuery';

/** One line for any error a query can produce; the API layer already prefers the server's `detail`. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return 'Unknown error';
}
