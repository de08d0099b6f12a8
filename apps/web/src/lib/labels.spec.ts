import { describeTask, fieldValue } from './labels';

describe('review labels', () => {
  it('says a possible duplicate in Chinese, by the sides\' names when the list gives them', () => {
    expect(describeTask({ summary: '孙强 may be the same person as 孙强 (score 33.61)' })).toBe('「孙强」与「孙强」可能是同一人');
    expect(describeTask({ summary: '朝鲁 may be the same person as 朝洛 (score 12)', left: { name: '朝鲁' }, right: { name: '朝洛' } })).toBe('「朝鲁」与「朝洛」可能是同一人');
    expect(describeTask({ summary: '两个社区都有 王芳' })).toBe('两个社区都有 王芳');
  });

  it('writes gender codes as words', () => {
    expect(fieldValue('gender', 'M')).toBe('男');
    expect(fieldValue('gender', 'F')).toBe('女');
    expect(fieldValue('name', '张伟')).toBe('张伟');
  });
});
