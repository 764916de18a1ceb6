/** Failures of an OTLP request, answered with a `google.rpc.Status` body in the request's format (plugin.ts). */
export class OtlpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'OtlpError';
  }
}

/** A body that is not an `ExportTraceServiceRequest` in the declared format: 400 with the spec's wording. */
export function parseError(reason: string): OtlpError {
  return new OtlpError(400, `Unable to parse OTLP traces payload: ${reason}`);
}
