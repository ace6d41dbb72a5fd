import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../app/util/dataDir.ts';

describe('defaultDataDir follows the userData convention', () => {
  it('Linux: XDG_CONFIG_HOME or ~/.config', () => {
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/Linernotes');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/Linernotes');
  });
  it('macOS: Application Support', () => {
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Linernotes');
  });
  it('Windows: %APPDATA%', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\Linernotes');
  });
  it('LINERNOTES_DATA_DIR overrides', () => {
    expect(defaultDataDir({ LINERNOTES_DATA_DIR: '/d' }, 'linux', '/home/u')).toBe('/d');
  });
});
