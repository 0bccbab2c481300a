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
import { api, ApiError, callUntyped, unwrapAs } from '../../api/client';
import { useFeatures } from '../../api/features';
import type { ImportResult, ParseWarning } from '../../api/views';
import { PageHeader } from '../../components/PageHeader';
import { readParsePreview, type ParsePreview, type PreviewItem } from '../../lib/parse-preview';

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
  const features = useFeatures();
  const dryRun = features.data?.importDryRun ?? false;
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ParsePreview | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const step = result ? 2 : preview ? 1 : 0;

  async function runPreview(chosen: File) {
    setBusy(true);
    setError(null);
    try {
      const answer = await callUntyped<unknown>(
        'POST',
        '/api/v1/plans/import?dryRun=true',
        form(chosen),
      );
      const read = readParsePreview(answer);
      if (!read) throw new Error('服务器返回的试解析结果无法识别');
      setPreview(read);
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
          items={[
            { title: '上传文档' },
            { title: dryRun ? '核对解析结果' : '核对解析结果（待服务器支持）', disabled: !dryRun },
            { title: '导入完成' },
          ]}
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
                if (dryRun) void runPreview(f);
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
                {!dryRun && (
                  <Button type="primary" loading={busy} onClick={() => void runImport()}>
                    导入
                  </Button>
                )}
                {dryRun && busy && <Typography.Text type="secondary">正在解析…</Typography.Text>}
              </Space>
            )}
            {features.data && !dryRun && (
              <Alert
                type="info"
                showIcon
                title="导入前预览尚未启用"
                description="服务器提供试解析接口（POST /api/v1/plans/import?dryRun=true）后，这里会先显示解析出的板块、条目、责任单位、截止日期和提示，确认后才导入。现在上传即直接导入；同一文档重复导入不会改变任何数据。"
              />
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
  preview: ParsePreview;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Flex vertical gap={16} data-testid="import-preview">
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, lg: 4 }}
        items={[
          {
            key: 't',
            label: '标题',
            children: preview.title ?? '（未识别）',
            span: { xs: 1, sm: 2, lg: 4 },
          },
          { key: 'd', label: '文号', children: preview.docNumber ?? '—' },
          { key: 's', label: '板块', children: `${preview.sections.length} 个` },
          { key: 'i', label: '条目', children: `${preview.itemCount} 项` },
          { key: 'u', label: '责任单位', children: `${preview.units.length} 个` },
        ]}
      />
      <Collapse
        items={preview.sections.map((s) => ({
          key: String(s.ordinal),
          label: `${s.ordinal}. ${s.title ?? '（无标题）'}（${s.items.length} 项）`,
          children: (
            <Table<PreviewItem>
              size="small"
              rowKey="number"
              pagination={false}
              dataSource={s.items}
              scroll={{ x: 600 }}
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
                  title: '截止',
                  dataIndex: 'deadline',
                  width: 110,
                  render: (d: string | null) => d ?? '年底',
                },
              ]}
            />
          ),
        }))}
      />
      <div>
        <Typography.Title level={5}>解析提示</Typography.Title>
        <Warnings warnings={preview.warnings} />
      </div>
      <Space>
        <Button type="primary" loading={busy} onClick={onConfirm}>
          确认导入
        </Button>
        <Button onClick={onCancel}>重新选择</Button>
      </Space>
    </Flex>
  );
}
