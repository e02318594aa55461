import { SDK_ERROR_CODES, SdkError } from '@dataportal/sdk';
import { describe, expect, it } from 'vitest';
import { engineNotConfigured, ServerError, STATUS_BY_SDK_CODE, toErrorBody } from '../src/errors';

describe('toErrorBody', () => {
  it('maps every sdk code to a status, 4xx for what the caller can fix', () => {
    for (const code of SDK_ERROR_CODES) {
      const body = toErrorBody(new SdkError(code, `sdk: ${code.toLowerCase()}`));
      expect(body.statusCode).toBe(STATUS_BY_SDK_CODE[code]);
      expect(body.code).toBe(code);
      expect(body.error).toEqual(expect.any(String));
    }
    const caller = [
      'NOT_FOUND',
      'CONFLICT',
      'VALIDATION_FAILED',
      'CYCLE_DETECTED',
      'UNKNOWN_TABLES',
      'INVALID_STATE',
      'ENGINE_NOT_CONFIGURED',
    ] as const;
    for (const code of caller) expect(STATUS_BY_SDK_CODE[code]).toBeLessThan(500);
  });

  it('names fields in snake_case and keeps details', () => {
    const err = new SdkError('VALIDATION_FAILED', 'sdk: invalid task: taskType: bad', {
      issues: [{ path: ['taskType'], message: 'bad', code: 'custom' }],
    });
    expect(toErrorBody(err)).toMatchInlineSnapshot(`
      {
        "code": "VALIDATION_FAILED",
        "details": {
          "issues": [
            {
              "field": "task_type",
              "in": "body",
              "message": "bad",
            },
          ],
        },
        "error": "Bad Request",
        "message": "sdk: invalid task: task_type: bad",
        "statusCode": 400,
      }
    `);
  });

  it('adds the configuration hint to ENGINE_NOT_CONFIGURED', () => {
    const sdk = new SdkError('ENGINE_NOT_CONFIGURED', 'sdk: no dolphin engine', {
      details: { engine: 'dolphin' },
    });
    expect(toErrorBody(sdk).message).toContain('DOLPHIN_URL');
    expect(toErrorBody(engineNotConfigured('dinky'))).toMatchObject({
      statusCode: 422,
      code: 'ENGINE_NOT_CONFIGURED',
    });
  });

  it('hides internal errors', () => {
    const body = toErrorBody(new Error('secret connection string mysql://root:pw@db'));
    expect(body).toEqual({
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      error: 'Internal Server Error',
      message: 'internal error; the server log has the details',
    });
  });

  it('keeps a ServerError as raised', () => {
    expect(toErrorBody(new ServerError('UNAUTHORIZED', 401, 'nope'))).toEqual({
      statusCode: 401,
      code: 'UNAUTHORIZED',
      error: 'Unauthorized',
      message: 'nope',
    });
  });
});
