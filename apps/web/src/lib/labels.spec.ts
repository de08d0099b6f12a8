import { describeTask, fieldValue } from './labels';

describe('review labels', () => {
  it('says a task in Chinese by its kind and sides, whatever its English summary', () => {
    expect(describeTask({ kind: 'possible-duplicate', summary: '朝鲁 may be the same person as 朝洛 (score 12)', left: { name: '朝鲁' }, right: { name: '朝洛' } })).toBe('「朝鲁」与「朝洛」可能是同一人');
    expect(describeTask({ kind: 'conflict', entityType: 'person', summary: "the ID number is already 张伟's in the registry", left: { name: '郑爽' }, right: { name: '张伟' } }))
      .toBe('「郑爽」与「张伟」的记录相互矛盾（如身份证号已属另一人，或同名无法区分），需人工判断');
    expect(describeTask({ kind: 'conflict', entityType: 'membership', summary: 'a member listed as current in two organizations at once', left: { name: '王芳' } }))
      .toBe('「王芳」同时登记为两个党组织的在册党员，需确认以哪个为准');
    expect(describeTask({ kind: 'possible-duplicate', summary: 'x' })).toBe('一条记录与登记中的另一条记录可能是同一人');
  });

  it('writes gender codes as words', () => {
    expect(fieldValue('gender', 'M')).toBe('男');
    expect(fieldValue('gender', 'F')).toBe('女');
    expect(fieldValue('name', '张伟')).toBe('张伟');
  });
});
