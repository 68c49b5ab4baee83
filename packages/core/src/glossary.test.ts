import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, LEVEL_NAMES, ROLE_NAMES, STATUS_NAMES, actionName, levelName, roleName, statusName } from './glossary.js';

describe('glossary', () => {
  it('every word is Chinese (no code of ours reaches a user)', () => {
    for (const table of [ROLE_NAMES, LEVEL_NAMES, ACTION_NAMES, STATUS_NAMES]) {
      for (const w of Object.values(table)) expect(w).toMatch(/^[\u4e00-\u9fff，]+$/);
    }
  });
  it('one name per role: the header and the timeline say the same', () => {
    expect(roleName('province')).toBe('省级审核人');
    expect(levelName('county')).toBe('县级');
    expect(actionName('return')).toBe('退回修改');
    expect(statusName('draft')).toBe('草稿');
  });
  it('an unknown code falls back to a neutral Chinese word, never to the code', () => {
    expect(roleName('grading')).toBe('用户');
    expect(levelName(undefined)).toBe('其他');
    expect(actionName('evaluation')).toBe('操作');
    expect(statusName('weird_state')).toBe('未知状态');
  });
});
