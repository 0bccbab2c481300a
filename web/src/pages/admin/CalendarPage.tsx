import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Skeleton,
  Space,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { api, ApiError, unwrapAs } from '../../api/client';
import type { CalendarSchedule, CalendarYear } from '../../api/views';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult } from '../../layout/guards';
import { addDays, today } from '../../lib/time';

const SOURCE: Record<
  CalendarYear['source'],
  { type: 'success' | 'info' | 'warning'; text: string }
> = {
  'built-in': { type: 'success', text: '系统内置了该年的法定节假日与调休安排' },
  admin: { type: 'info', text: '该年的安排由管理员录入，正用于提醒和升级的排期' },
  none: {
    type: 'warning',
    text: '尚未录入该年的安排：目前按周一至周五为工作日计算。国务院办公厅发布通知后请在此录入',
  },
};

/** Consecutive days of one holiday become one period, as the official notice lists them. */
function periodsOf(days: CalendarYear['holidays']): CalendarSchedule['holidays'] {
  const out: { name: string; from: string; to: string }[] = [];
  for (const d of [...days].sort((a, b) => a.date.localeCompare(b.date))) {
    const last = out.at(-1);
    if (last && last.name === d.name && addDays(last.to, 1) === d.date) last.to = d.date;
    else out.push({ name: d.name, from: d.date, to: d.date });
  }
  return out;
}

export function CalendarPage() {
  const [year, setYear] = useState(() => Number(today().slice(0, 4)) + 1);
  const calendar = useQuery({
    queryKey: ['calendar', year],
    queryFn: async () =>
      unwrapAs<CalendarYear>(
        await api.GET('/api/v1/calendar/{year}', { params: { path: { year } } }),
      ),
  });
  return (
    <>
      <PageHeader
        title="工作日历"
        sub="法定节假日与调休：提醒按工作日计算，系统未内置的年份须按国务院办公厅通知录入"
        extra={
          <Space>
            <span>年份</span>
            <InputNumber
              aria-label="年份"
              min={2000}
              max={2100}
              precision={0}
              value={year}
              onChange={(v) => v && setYear(v)}
            />
          </Space>
        }
      />
      {calendar.error ? (
        <ErrorResult error={calendar.error} />
      ) : !calendar.data ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <YearEditor key={`${year}:${JSON.stringify(calendar.data)}`} view={calendar.data} />
      )}
    </>
  );
}

function YearEditor({ view }: { view: CalendarYear }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CalendarSchedule>();
  const save = useMutation({
    mutationFn: async (schedule: CalendarSchedule) =>
      unwrapAs<CalendarYear>(
        await api.PUT('/api/v1/calendar/{year}', {
          params: { path: { year: view.year } },
          body: schedule,
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(['calendar', view.year], saved);
      void message.success(`已保存 ${view.year} 年的节假日安排，提醒已按新日历重排`);
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
  });
  const source = SOURCE[view.source];
  const required = { required: true, message: '必填' };
  const date = { pattern: /^\d{4}-\d{2}-\d{2}$/, message: 'YYYY-MM-DD' };

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ holidays: periodsOf(view.holidays), workdays: view.workdays }}
      onFinish={(v) =>
        save.mutate({
          holidays: (v.holidays ?? []).map((h) => ({
            name: h.name.trim(),
            from: h.from,
            to: h.to,
          })),
          workdays: (v.workdays ?? []).map((w) => ({ name: w.name.trim(), date: w.date })),
        })
      }
    >
      <Alert
        type={source.type}
        showIcon
        title={source.text}
        style={{ marginBottom: 16 }}
        data-testid="calendar-source"
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small" title="放假安排">
            <Form.List name="holidays">
              {(fields, { add, remove }) => (
                <Flex vertical gap={0} data-testid="calendar-holidays">
                  {fields.map((f, i) => (
                    <Space key={f.key} align="start" wrap>
                      <Form.Item name={[f.name, 'name']} rules={[required]}>
                        <Input aria-label={`假期 ${i + 1} 名称`} placeholder="如：春节" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'from']} rules={[required, date]}>
                        <Input type="date" aria-label={`假期 ${i + 1} 起`} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'to']} rules={[required, date]}>
                        <Input type="date" aria-label={`假期 ${i + 1} 止`} />
                      </Form.Item>
                      <Button
                        aria-label={`删除假期 ${i + 1}`}
                        icon={<DeleteOutlined />}
                        onClick={() => remove(f.name)}
                      />
                    </Space>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({ name: '' })}>
                    添加假期
                  </Button>
                </Flex>
              )}
            </Form.List>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title="调休上班（周末上班的日子）">
            <Form.List name="workdays">
              {(fields, { add, remove }) => (
                <Flex vertical gap={0} data-testid="calendar-workdays">
                  {fields.map((f, i) => (
                    <Space key={f.key} align="start" wrap>
                      <Form.Item name={[f.name, 'name']} rules={[required]}>
                        <Input aria-label={`调休 ${i + 1} 名称`} placeholder="如：春节调休" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'date']} rules={[required, date]}>
                        <Input type="date" aria-label={`调休 ${i + 1} 日期`} />
                      </Form.Item>
                      <Button
                        aria-label={`删除调休 ${i + 1}`}
                        icon={<DeleteOutlined />}
                        onClick={() => remove(f.name)}
                      />
                    </Space>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({ name: '' })}>
                    添加调休
                  </Button>
                </Flex>
              )}
            </Form.List>
          </Card>
        </Col>
      </Row>
      <Button type="primary" htmlType="submit" loading={save.isPending} style={{ marginTop: 16 }}>
        保存 {view.year} 年安排
      </Button>
    </Form>
  );
}
