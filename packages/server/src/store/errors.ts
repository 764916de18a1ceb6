/** Domain errors the HTTP layer maps to status codes (docs/protocol.md §6). */
export class NotFoundError extends Error {
  constructor(what: 'Rollout' | 'Attempt' | 'Resources', id: string) {
    super(`${what} ${id} not found`);
    this.name = 'NotFoundError';
  }
}
