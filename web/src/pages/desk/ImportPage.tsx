import { useState } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Collapse,
  Descriptions,
  Flex,
  Result,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { FileTextOutlined, InboxOutlined } from '@ant-design/icons';
import { api, ApiError, unwrapAs } from '../../api/client';
import type { ImportPreview, ImportResult, ParseWarning, PreviewItem } from '../../api/views';
import { PageHeader } from '../../components/PageHeader';

const MAX_BYTES = 10 * 1024 * 1024;

function planFileProblem(file: File): string | null {
  if (!/\.(txt|docx)$/i.test(file.name)) return `“${file.name}”不是 .txt 或 .docx 文档`;
  if (file.size === 0) return `“${file.name}”是空文件`;
  if (file.size > MAX_BYTES) return `“${file.name}”超过 10 MB`;
  return null;
}

function form(file: File): FormData {
  const data = new FormData();
  data.set('file', file, file.name);
  return data;
}

function Warnings({ warnings }: { warnings: ParseWarning[] }) {
  if (warnings.length === 0) return <Alert type="success" showIcon title="没有需要注意的问题" />;
  return (
    <Table
      size="small"
      rowKey={(w, i) => `${w.line}-${i}`}
      pagination={false}
      dataSource={warnings}
      data-testid="import-warnings"
      columns={[
        { title: '行号', dataIndex: 'line', width: 70, render: (l: number) => (l > 0 ? l : '—') },
        { title: '提示', dataIndex: 'message' },
      ]}
    />
  );
}

export default function ImportPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const step = result ? 2 : preview ? 1 : 0;

  async function runPreview(chosen: File) {
    setBusy(true);
    setError(null);
    try {
      setPreview(
        unwrapAs<ImportPreview>(
          await api.POST('/api/v1/plans/import', {
            params: { query: { dryRun: true } },
            body: form(chosen) as never,
          }),
        ),
      );
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  async function runImport() {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const outcome = unwrapAs<ImportResult>(
        await api.POST('/api/v1/plans/import', { body: form(file) as never }),
      );
      setResult(outcome);
      await queryClient.invalidateQueries({ queryKey: ['plans'] });
      void message.success(outcome.message);
    } catch (e) {
      setError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const reset = () => {
    setFile(null);
    setPreview(null);
    setResult(null);
    setError(null);
  };

  return (
    <>
      <PageHeader
        title="导入工作要点"
        sub="上传年度工作要点文档（.txt 或 .docx），系统拆分条目并交办到责任单位"
      />
      <Card>
        <Steps
          current={step}
          size="small"
          responsive
          style={{ marginBottom: 24 }}
          items={[{ title: '上传文档' }, { title: '核对解析结果' }, { title: '导入完成' }]}
        />
        {error && (
          <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />
        )}

        {step === 0 && (
          <Flex vertical gap={16}>
            <Upload.Dragger
              accept=".txt,.docx"
              maxCount={1}
              showUploadList={false}
              beforeUpload={(f) => {
                const problem = planFileProblem(f);
                if (problem) {
                  void message.error(problem);
                  return Upload.LIST_IGNORE;
                }
                setFile(f);
                setError(null);
                void runPreview(f);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">点击或将工作要点文档拖到此处</p>
              <p className="ant-upload-hint">支持 .txt（UTF-8 / GBK）和 .docx，不超过 10 MB</p>
            </Upload.Dragger>
            {file && (
              <Space wrap>
                <Tag icon={<FileTextOutlined />}>{file.name}</Tag>
                {busy && <Typography.Text type="secondary">正在解析…</Typography.Text>}
              </Space>
            )}
          </Flex>
        )}

        {step === 1 && preview && (
          <PreviewView
            preview={preview}
            busy={busy}
            onConfirm={() => void runImport()}
            onCancel={reset}
          />
        )}

        {step === 2 && result && (
          <Result
            status={result.created ? 'success' : 'info'}
            title={result.created ? '导入完成' : '该文档已导入过'}
            subTitle={result.message}
            extra={[
              <Link key="tasks" to={`/tasks?all&plan=${result.planId}`}>
                <Button type="primary">查看任务</Button>
              </Link>,
              <Button key="again" onClick={reset}>
                继续导入
              </Button>,
            ]}
          >
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, sm: 2 }}
              data-testid="import-counts"
              items={[
                { key: 't', label: '工作要点', children: result.title, span: 2 },
                { key: 's', label: '板块', children: `${result.counts.sections} 个` },
                { key: 'i', label: '条目', children: `${result.counts.items} 项` },
                { key: 'u', label: '责任单位', children: `${result.counts.units} 个` },
                { key: 'k', label: '任务', children: `${result.counts.tasks} 项` },
              ]}
            />
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              解析提示
            </Typography.Title>
            <Warnings warnings={result.warnings} />
          </Result>
        )}
      </Card>
    </>
  );
}

function PreviewView({
  preview,
  busy,
  onConfirm,
  onCancel,
}: {
  preview: ImportPreview;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { counts } = preview;
  const newUnits = preview.units.filter((u) => !u.known);
  return (
    <Flex vertical gap={16} data-testid="import-preview">
      <Alert
        type={
          preview.status === 'new' ? 'info' : preview.status === 'conflict' ? 'error' : 'warning'
        }
        showIcon
        title={preview.message}
        data-testid="import-preview-message"
      />
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, lg: 4 }}
        items={[
          {
            key: 't',
            label: '标题',
            children: preview.plan.title,
            span: { xs: 1, sm: 2, lg: 4 },
          },
          { key: 'd', label: '文号', children: preview.plan.docNumber ?? '—' },
          { key: 'y', label: '年度', children: preview.plan.year ?? '—' },
          { key: 'is', label: '发文单位', children: preview.plan.issuer ?? '—' },
          { key: 'io', label: '发文日期', children: preview.plan.issuedOn ?? '—' },
        ]}
      />
      <Descriptions
        size="small"
        bordered
        title="确认后将创建"
        column={{ xs: 1, sm: 2, lg: 4 }}
        data-testid="import-would-create"
        items={[
          { key: 's', label: '板块', children: `${counts.sections} 个` },
          { key: 'i', label: '条目', children: `${counts.items} 项` },
          { key: 'k', label: '任务', children: `${counts.tasks} 项` },
          {
            key: 'u',
            label: '责任单位',
            children: `${counts.units} 个（新增 ${counts.newUnits} 个）`,
          },
        ]}
      />
      <div>
        <Typography.Text type="secondary">责任单位：</Typography.Text>
        <Space size={[4, 4]} wrap data-testid="import-units">
          {preview.units.map((u) => (
            <Tag key={u.name} color={u.known ? 'default' : 'green'}>
              {u.name}
              {u.known ? '' : '（新增）'}
            </Tag>
          ))}
        </Space>
        {newUnits.length > 0 && (
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            标为“新增”的单位尚无账号和联系邮箱，导入后请在“责任单位”页补充。
          </Typography.Paragraph>
        )}
      </div>
      <div>
        <Typography.Title level={5}>解析提示</Typography.Title>
        <Warnings warnings={preview.warnings} />
      </div>
      <Collapse
        defaultActiveKey={preview.sections.slice(0, 1).map((s) => String(s.ordinal))}
        items={preview.sections.map((s) => ({
          key: String(s.ordinal),
          label: `${s.ordinal}. ${s.title ?? '（无标题）'}（${s.items.length} 项）`,
          children: (
            <Table<PreviewItem>
              size="small"
              rowKey="number"
              pagination={false}
              dataSource={s.items}
              scroll={{ x: 720 }}
              columns={[
                { title: '序号', dataIndex: 'number', width: 60 },
                { title: '条目', dataIndex: 'title' },
                {
                  title: '责任单位',
                  key: 'units',
                  width: 260,
                  render: (_, item) => (
                    <Space size={2} wrap>
                      {item.units.map((u, i) => (
                        <Tag key={u} color={i === 0 ? 'blue' : 'default'}>
                          {u}
                          {i === 0 ? '（牵头）' : ''}
                        </Tag>
                      ))}
                      {item.allUnits && <Tag color="purple">各科室</Tag>}
                    </Space>
                  ),
                },
                {
                  title: '截止日期',
                  key: 'due',
                  width: 130,
                  render: (_, item) => (
                    <span
                      title={item.deadlineHints.map((h) => h.text).join('；') || '未写明，按年底'}
                    >
                      {item.dueDate}
                      {item.deadlineHints.length === 0 && (
                        <Typography.Text type="secondary">（年底）</Typography.Text>
                      )}
                    </span>
                  ),
                },
                { title: '任务', dataIndex: 'tasks', width: 60 },
              ]}
            />
          ),
        }))}
      />
      <Space wrap>
        <Button
          type="primary"
          loading={busy}
          disabled={preview.status === 'conflict'}
          onClick={onConfirm}
        >
          确认导入
        </Button>
        <Button onClick={onCancel}>重新选择</Button>
      </Space>
    </Flex>
  );
}
