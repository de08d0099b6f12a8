/** What each scope lets a key do, in the words the sign-in page shows. */
export const SCOPE_LABELS: Record<string, string> = {
  'registry:read': '查看登记数据、审核任务和报表',
  'registry:read-pii': '查看完整身份证号和电话（会留审计记录）',
  'imports:read': '查看导入批次和进度',
  'imports:write': '上传文件导入数据',
  'review:write': '审核疑似重复（合并或保持分开）、撤销决定',
  admin: '管理员：以上全部，另可回滚导入批次',
};

/** Whether a key with these scopes may do what `needed` allows: admin implies every scope, writing imports implies reading them. */
export function may(scopes: readonly string[], needed: string): boolean {
  if (scopes.includes('admin') || scopes.includes(needed)) return true;
  return needed === 'imports:read' && scopes.includes('imports:write');
}
