/**
 * The 通报 bulletin draft of a cycle, in the style of an official document: title, 文号
 * placeholder, addressees, a summary paragraph, tables of good and lagging units, the items that
 * need attention, closing and signature. The model is built here (pure) and rendered as HTML here
 * and as .docx in bulletin-docx.ts, so both say the same.
 */
import { escapeHtml } from '../common/html.js';
import {
  attentionReason,
  type CycleResults,
  isGoodUnit,
  isLaggingUnit,
  ratingsText,
} from './cycle-results.js';
import { RATING_LABELS } from './cycle-rules.js';

export interface BulletinInput {
  planTitle: string;
  planDocNumber: string | null;
  issuer: string | null;
  year: number;
  cycleTitle: string;
  /** Business dates as people read them: '2022年4月1日'. */
  openedOn: string;
  dueOn: string;
  /** The date the draft is dated. */
  today: string;
  closed: boolean;
  results: CycleResults;
}

export interface BulletinTable {
  caption: string;
  header: string[];
  rows: string[][];
  /** Said instead of an empty table. */
  empty: string;
}

export interface Bulletin {
  title: string;
  docNumber: string;
  addressees: string;
  summary: string[];
  tables: BulletinTable[];
  requirements: string[];
  closing: string;
  signature: string;
  date: string;
  /** The draft is not final while the cycle is still open. */
  draftNote: string | null;
}

const DEFAULT_ISSUER = '督导室';

/** '2022-04-01' → '2022年4月1日'. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export function composeBulletin(input: BulletinInput): Bulletin {
  const { results } = input;
  const t = results.totals;
  const unitCount = results.units.length;
  const reported = t.onTime + t.late;
  const good = results.units.filter(isGoodUnit);
  const lagging = results.units.filter(isLaggingUnit);
  const attention = results.requests
    .map((r) => ({ r, reason: attentionReason(r) }))
    .filter(
      (x): x is { r: (typeof results.requests)[number]; reason: string } => x.reason !== null,
    );
  const planRef = input.planDocNumber
    ? `《${input.planTitle}》（${input.planDocNumber}）`
    : `《${input.planTitle}》`;
  const summary = [
    `根据${planRef}的部署，${input.issuer ?? DEFAULT_ISSUER}于${input.openedOn}启动${input.cycleTitle}，` +
      `要求各责任单位于${input.dueOn}前报送工作进展。现将有关情况通报如下。`,
    `本轮督导共涉及 ${unitCount} 个责任单位、${t.requested} 项任务。` +
      `其中按时报送 ${t.onTime} 项，逾期报送 ${t.late} 项，未报送 ${t.missing} 项` +
      (t.pending > 0 ? `，尚在报送期内 ${t.pending} 项` : '') +
      `；按时报送率 ${t.requested ? ((t.onTime / t.requested) * 100).toFixed(1) : '0.0'}%。` +
      `已报送的 ${reported} 项中，评价为“好”${t.ratings.good} 项、“较好”${t.ratings.fair} 项、` +
      `“一般”${t.ratings.average} 项、“差”${t.ratings.poor} 项` +
      (t.unrated > 0 ? `，尚未评价 ${t.unrated} 项` : '') +
      '。',
    good.length
      ? `${good.map((u) => u.unitName).join('、')}等 ${good.length} 个单位按时报送、质量较高，予以通报表扬。`
      : '本轮督导暂无全部按时报送且评价均为较好以上的单位。',
    lagging.length
      ? `${lagging.map((u) => u.unitName).join('、')}等 ${lagging.length} 个单位存在逾期、未报送或评价为“差”的情况，请对照整改。`
      : '本轮督导各单位均按时报送，未发现评价为“差”的情况。',
  ];
  const unitRow = (u: (typeof results.units)[number]) => [
    u.unitName,
    String(u.requested),
    String(u.onTime),
    String(u.late),
    String(u.missing),
    ratingsText(u),
  ];
  const header = ['单位', '任务数', '按时报送', '逾期报送', '未报送', '评价情况'];
  return {
    title: `关于${input.cycleTitle}情况的通报`,
    docNumber: `〔${input.year}〕\u3000号`,
    addressees: '各科室、各部门、各直属单位：',
    summary,
    tables: [
      {
        caption: '一、表现较好的单位',
        header,
        rows: good.map(unitRow),
        empty: '（无）',
      },
      {
        caption: '二、需改进的单位',
        header,
        rows: lagging.map(unitRow),
        empty: '（无）',
      },
      {
        caption: '三、需关注的事项',
        header: ['序号', '条目', '责任单位', '情况', '评价意见'],
        rows: attention.map(({ r, reason }) => [
          String(r.itemNumber),
          r.itemTitle,
          `${r.unitName}（${r.role === 'lead' ? '牵头' : '配合'}）`,
          reason,
          r.rating ? `${RATING_LABELS[r.rating]}${r.comment ? `：${r.comment}` : ''}` : '—',
        ]),
        empty: '（无）',
      },
    ],
    requirements: [
      '请被通报需改进的单位认真分析原因，于 5 个工作日内将整改情况报督导室。',
      '请各单位对照年度工作要点，加强统筹，按时保质完成各项任务，确保工作要点落到实处。',
    ],
    closing: '特此通报。',
    signature: input.issuer ?? DEFAULT_ISSUER,
    date: input.today,
    draftNote: input.closed ? null : `（草稿：本轮督导尚未结束，统计截至${input.today}）`,
  };
}

/** The bulletin as an HTML page; every value is escaped. */
export function renderBulletinHtml(b: Bulletin): string {
  const e = escapeHtml;
  const table = (t: BulletinTable) =>
    `<h2>${e(t.caption)}</h2>` +
    (t.rows.length === 0
      ? `<p>${e(t.empty)}</p>`
      : '<table><thead><tr>' +
        t.header.map((h) => `<th>${e(h)}</th>`).join('') +
        '</tr></thead><tbody>' +
        t.rows.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('') +
        '</tbody></table>');
  return (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${e(b.title)}</title>` +
    '<style>body{font-family:"FangSong","仿宋",serif;max-width:800px;margin:2em auto;line-height:1.8}' +
    'h1{font-family:"SimSun","宋体",serif;text-align:center;font-size:22pt}' +
    '.doc-number{text-align:center}h2{font-size:14pt}p.body{text-indent:2em}' +
    'table{border-collapse:collapse;width:100%}th,td{border:1px solid #333;padding:4px 6px}' +
    '.signature,.date{text-align:right}.draft{color:#c00}</style></head><body>' +
    (b.draftNote ? `<p class="draft">${e(b.draftNote)}</p>` : '') +
    `<p class="doc-number">${e(b.docNumber)}</p>` +
    `<h1>${e(b.title)}</h1>` +
    `<p>${e(b.addressees)}</p>` +
    b.summary.map((p) => `<p class="body">${e(p)}</p>`).join('') +
    b.tables.map(table).join('') +
    '<h2>四、工作要求</h2>' +
    b.requirements.map((p, i) => `<p class="body">${i + 1}. ${e(p)}</p>`).join('') +
    `<p class="body">${e(b.closing)}</p>` +
    `<p class="signature">${e(b.signature)}</p>` +
    `<p class="date">${e(b.date)}</p>` +
    '</body></html>'
  );
}
