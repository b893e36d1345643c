import { describe, expect, it } from 'vitest';
import { BCRYPT_HASH_PATTERN, checkLegacyDate, checkText, convertLegacyPoints } from './legacy-values.ts';

const problem = (result: { ok: boolean; problem?: string }) => (result.ok ? 'ok' : result.problem);

describe('legacy values', () => {
  it('reads dd/mm/YYYY_HHhMM and refuses what is not a real day and time', () => {
    expect(checkLegacyDate('01/12/2024_23h59')).toEqual({
      ok: true,
      value: { year: 2024, month: 12, day: 1, hour: 23, minute: 59 },
    });
    expect(problem(checkLegacyDate(' 29/02/2024_00h00 '))).toBe('ok');
    expect(problem(checkLegacyDate('29/02/2023_00h00'))).toBe('is not a calendar day');
    expect(problem(checkLegacyDate('31/04/2024_10h00'))).toBe('is not a calendar day');
    expect(problem(checkLegacyDate('00/01/2024_10h00'))).toBe('is not a calendar day');
    expect(problem(checkLegacyDate('01/13/2024_10h00'))).toBe('is not a calendar day');
    expect(problem(checkLegacyDate('01/12/2024_24h00'))).toBe('is not a time of day');
    expect(problem(checkLegacyDate('01/12/2024_23h60'))).toBe('is not a time of day');
    expect(problem(checkLegacyDate('1/12/2024_9h05'))).toBe('is not a dd/mm/YYYY_HHhMM date');
    expect(problem(checkLegacyDate('2024-12-01 23:59'))).toBe('is not a dd/mm/YYYY_HHhMM date');
    expect(problem(checkLegacyDate(''))).toBe('is empty');
    expect(problem(checkLegacyDate(null))).toBe('is empty');
  });

  it("converts forecast points to Ethcast's day and value, inventing no band", () => {
    expect(
      convertLegacyPoints(
        '[{"date": "2024-12-02", "predicted_value": 3612.5}, {"date": "2024-12-03 00:00:00", "predicted_value": 3600}]',
      ),
    ).toEqual({
      ok: true,
      value: [
        { day: '2024-12-02', value: 3612.5 },
        { day: '2024-12-03', value: 3600 },
      ],
    });
    expect(convertLegacyPoints('[{"date": "2024-12-02", "predicted_value": 1, "confidence": 0.7}]')).toEqual({
      ok: true,
      value: [{ day: '2024-12-02', value: 1, confidence: 0.7 }],
    });
    expect(convertLegacyPoints(null)).toEqual({ ok: true, value: null });
    expect(convertLegacyPoints('[]')).toEqual({ ok: true, value: [] });
    expect(problem(convertLegacyPoints('{"date": "2024-12-02"}'))).toBe('is not a list of points');
    expect(problem(convertLegacyPoints('[{"date": "2024-02-30", "predicted_value": 1}]'))).toBe(
      'point 1 has a "date" that is not a calendar day',
    );
    expect(problem(convertLegacyPoints('[{"date": "02/12/2024", "predicted_value": 1}]'))).toBe(
      'point 1 has a "date" that is not YYYY-MM-DD',
    );
    expect(problem(convertLegacyPoints('[{"date": "2024-12-02", "predicted_value": null}]'))).toBe(
      'point 1 has no numeric "predicted_value"',
    );
    expect(problem(convertLegacyPoints('[1]'))).toBe('point 1 is not an object');
    expect(problem(convertLegacyPoints('not json'))).toBe('is not JSON');
  });

  it('bounds texts as Ethcast stores them', () => {
    expect(problem(checkText('a'.repeat(100), { required: true, maxLength: 100 }))).toBe('ok');
    expect(problem(checkText('ç'.repeat(101), { required: true, maxLength: 100 }))).toBe(
      'is longer than 100 characters',
    );
    expect(problem(checkText(null, { required: false, maxLength: 100 }))).toBe('ok');
    expect(problem(checkText('  ', { required: true, maxLength: 100 }))).toBe('is empty');
  });

  it('recognises the bcrypt hashes Python wrote', () => {
    expect(BCRYPT_HASH_PATTERN.test('$2b$10$eT7WD52/q3ipXGJ16vrPW.mr8OQcQK77IJIK17NLKw.ssYh7dBC9u')).toBe(
      true,
    );
    expect(BCRYPT_HASH_PATTERN.test('plain-text')).toBe(false);
  });
});
