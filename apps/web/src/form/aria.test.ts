import { describe, expect, it } from 'vitest';
import { fieldAria, hasHelp } from './aria';

describe('fieldAria', () => {
  it('a required field with an error and help: required, invalid, described by the message then the help', () => {
    expect(fieldAria({ id: 'root_a', required: true, rawErrors: ['请填写'], hasHelp: true })).toEqual({
      'aria-required': true,
      'aria-invalid': true,
      'aria-describedby': 'root_a__error root_a__help',
    });
  });
  it('a valid optional field without help says nothing', () => {
    expect(fieldAria({ id: 'root_b', rawErrors: [] })).toEqual({});
  });
  it('a group leaves aria-required out when asked', () => {
    expect(fieldAria({ id: 'root_c', required: true }, { required: false })).toEqual({});
  });
  it('help comes from ui:help only', () => {
    expect(hasHelp({ 'ui:help': '单位：万元' })).toBe(true);
    expect(hasHelp({ 'ui:title': 'x' })).toBe(false);
    expect(hasHelp(undefined)).toBe(false);
  });
});
