import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { describeError, Me, request, storeKey } from '../api';
import { SCOPE_LABELS } from '../lib/scopes';

/** Sign-in with an API key: the key is checked against GET /v1/me before it is kept (in this tab only). */
export function LoginPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async ({ key }: { key: string }) => {
    setBusy(true);
    setError(null);
    const trimmed = key.trim();
    try {
      const me = await (await request('/v1/me', {}, trimmed)).json() as Me;
      storeKey(trimmed);
      onSignedIn(me);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="qc-login">
      <Card title="青城党建数据工作台 · 登录" style={{ maxWidth: 560, width: '100%' }}>
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item label="API 密钥" name="key" rules={[{ required: true, message: '请粘贴 API 密钥' }]}>
            <Input.Password id="api-key" placeholder="粘贴管理员发给您的密钥" autoComplete="off" />
          </Form.Item>
          {error && <Alert id="login-error" type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" loading={busy} id="sign-in">登录</Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
          密钥由管理员在服务器上用命令行创建，例如：
          <Typography.Text code>qingcheng keys create --name 张三 --scopes registry:read,imports:write</Typography.Text>
          ，创建时显示的最后一行就是密钥。密钥只保存在本浏览器标签页中，关闭标签页即失效。
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">
          权限说明：{Object.entries(SCOPE_LABELS).map(([scope, label]) => `${scope}（${label}）`).join('；')}。
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
