import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  InputNumber,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { api, ApiError, unwrapAs } from '../../api/client';
import type { components } from '../../api/schema';
import { ErrorResult } from '../../layout/guards';

type Ladder = components['schemas']['EscalationLadderDto'];
interface LadderView {
  ladder: Ladder;
  isDefault: boolean;
}

/** Working days of a 'PnD' duration; null for an exact duration (PT…), which is kept as it is. */
const workdays = (duration: string | null): number | null => {
  const m = duration ? /^P(\d+)D$/.exec(duration) : null;
  return m ? Number(m[1]) : null;
};

/** The plan's escalation ladder (督办升级): yellow and red cards, and overdue reminders between. */
export function EscalationLadderCard({ planId }: { planId: string }) {
  const ladder = useQuery({
    queryKey: ['escalation-ladder', planId],
    queryFn: async () =>
      unwrapAs<LadderView>(
        await api.GET('/api/v1/plans/{id}/escalation', { params: { path: { id: planId } } }),
      ),
  });
  return (
    <Card title="升级规则（黄牌、红牌）" size="small" style={{ marginTop: 16 }}>
      {ladder.error ? (
        <ErrorResult error={ladder.error} />
      ) : !ladder.data ? (
        <Skeleton active />
      ) : (
        <LadderForm key={JSON.stringify(ladder.data)} planId={planId} view={ladder.data} />
      )}
    </Card>
  );
}

function LadderForm({ planId, view }: { planId: string; view: LadderView }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [yellow, setYellow] = useState(workdays(view.ladder.yellow));
  const [red, setRed] = useState(workdays(view.ladder.red));
  const [repeat, setRepeat] = useState(workdays(view.ladder.repeat));
  const [repeatOn, setRepeatOn] = useState(view.ladder.repeat !== null);
  const save = useMutation({
    mutationFn: async (body: Ladder | null) =>
      unwrapAs<LadderView>(
        await api.PUT('/api/v1/plans/{id}/escalation', {
          params: { path: { id: planId } },
          body: body as Ladder,
        }),
      ),
    onSuccess: async (_r, body) => {
      void message.success(body ? '升级规则已保存，未办结任务的升级已重排' : '已恢复默认升级规则');
      await queryClient.invalidateQueries({ queryKey: ['escalation-ladder', planId] });
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
  });
  const exact = [view.ladder.yellow, view.ladder.red, view.ladder.repeat].some(
    (d) => d !== null && workdays(d) === null,
  );
  const ready = yellow !== null && red !== null && (!repeatOn || repeat !== null);
  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">
        逾期未办结的任务在截止后第几个工作日亮黄牌、第几个工作日亮红牌（红牌须晚于黄牌），
        黄牌后每隔几个工作日提醒一次。黄牌通知责任单位负责人，红牌通知督导室和分管局领导。
        {view.isDefault && (
          <Tag style={{ marginInlineStart: 8 }} color="default">
            默认规则
          </Tag>
        )}
      </Typography.Text>
      {exact && (
        <Typography.Text type="warning">
          当前规则含精确时长（{view.ladder.yellow} / {view.ladder.red} /{' '}
          {view.ladder.repeat ?? '不提醒'}），保存将改为按工作日计。
        </Typography.Text>
      )}
      <Space wrap size={[16, 8]}>
        <Space>
          黄牌：截止后第
          <InputNumber
            aria-label="黄牌工作日"
            min={1}
            max={60}
            precision={0}
            value={yellow}
            onChange={setYellow}
          />
          个工作日
        </Space>
        <Space>
          红牌：截止后第
          <InputNumber
            aria-label="红牌工作日"
            min={1}
            max={120}
            precision={0}
            value={red}
            onChange={setRed}
          />
          个工作日
        </Space>
        <Space>
          <Checkbox checked={repeatOn} onChange={(e) => setRepeatOn(e.target.checked)}>
            黄牌后每
          </Checkbox>
          <InputNumber
            aria-label="逾期提醒间隔"
            min={1}
            max={30}
            precision={0}
            disabled={!repeatOn}
            value={repeat}
            onChange={setRepeat}
          />
          个工作日提醒一次
        </Space>
      </Space>
      <Space>
        <Button
          type="primary"
          disabled={!ready}
          loading={save.isPending}
          onClick={() =>
            save.mutate({
              yellow: `P${yellow}D`,
              red: `P${red}D`,
              repeat: repeatOn ? `P${repeat}D` : null,
              sendAt: view.ladder.sendAt,
            })
          }
        >
          保存升级规则
        </Button>
        {!view.isDefault && (
          <Button onClick={() => save.mutate(null)} loading={save.isPending}>
            恢复默认
          </Button>
        )}
      </Space>
    </Flex>
  );
}
