import { describe, expect, it } from 'vitest';
import { checkBaseUrl } from './baseUrl';

describe('checkBaseUrl', () => {
  it.each([
    ['http://127.0.0.1:4747', 'http://127.0.0.1:4747'],
    ['http://127.0.0.1:4747/', 'http://127.0.0.1:4747'],
    ['https://store.example.com/agl-proxy//', 'https://store.example.com/agl-proxy'],
    ['  HTTP://LOCALHOST:80  ', 'http://localhost'],
  ])('accepts %j as %j', (input, value) => {
    expect(checkBaseUrl(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['', /Enter the store address/],
    ['localhost:4747', /http:\/\/ or https:\/\//],
    ['127.0.0.1:4747', /Not a valid URL|http/],
    ['http//broken', /Not a valid URL/],
    ['ws://127.0.0.1:4747', /http:\/\/ or https:\/\//],
    ['http://127.0.0.1:4747/?x=1', /query string/],
    ['http://user:pw@127.0.0.1', /Credentials/],
  ])('rejects %j with a clear message', (input, message) => {
    const result = checkBaseUrl(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});
