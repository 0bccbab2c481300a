/**
 * Types of the Duban HTTP API, generated from its OpenAPI document by `npm run api:generate`.
 * Do not edit: change the server, then regenerate. A test fails when this file is out of date.
 */

export interface paths {
  '/api/v1/attachments/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 下载附件（可查看该任务进展报告的用户） */
    get: operations['SubmissionsController_download'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 操作记录（只读）：按对象、操作人、时间筛选 */
    get: operations['AuditController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * 登录，返回 JWT（含过期时间）
     * @description 同一账号在同一地址连续失败 5 次后须等待，等待时间逐次加倍（1 分钟起，最长 1 小时）；同一地址对所有账号的失败过多时也会暂停。被拒绝时返回 429 和 Retry-After。mustChangePassword 为 true 时须先修改密码。
     */
    post: operations['AuthController_login'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 退出登录（只结束本次登录） */
    post: operations['AuthController_logout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/logout-all': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 在所有设备上退出登录 */
    post: operations['AuthController_logoutAll'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 当前登录用户 */
    get: operations['AuthController_me'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 修改自己的密码（其他设备上的登录随之结束） */
    post: operations['AuthController_changePassword'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 我的 API 令牌（不含令牌本身） */
    get: operations['AuthController_listTokens'];
    put?: never;
    /**
     * 为系统对接创建 API 令牌（只显示一次）
     * @description 默认有效 90 天、最长 365 天，默认只读；每人每小时最多 10 个。
     */
    post: operations['AuthController_createToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/tokens/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** 吊销 API 令牌 */
    delete: operations['AuthController_revokeToken'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/calendar/{year}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 某年的法定节假日与调休安排（内置、管理员录入或未录入） */
    get: operations['CalendarController_year'];
    /** 录入某年的法定节假日与调休安排（国务院办公厅通知），立即用于提醒和升级的排期 */
    put: operations['CalendarController_setYear'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/cycle-cadences/{id}/stop': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 停止定期督导（督导室）：不再开启新的周期，已开启的不受影响 */
    post: operations['CyclesController_stopCadence'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/cycle-reports/{id}/attachments/{attachmentId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 下载督导报告的附件 */
    get: operations['CyclesController_download'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/cycle-reports/{id}/rate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 评价督导报告（督导室）：好/较好/一般/差，可附意见 */
    post: operations['CyclesController_rate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/cycle-reports/{id}/return': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 退回督导报告（督导室，须填写意见）：单位重新报送，并通知责任单位 */
    post: operations['CyclesController_return'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/cycles/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 督导周期详情 */
    get: operations['CyclesController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** 修改督导周期的标题或提醒（督导室；已结束的周期不能修改，409） */
    patch: operations['CyclesController_update'];
    trace?: never;
  };
  '/api/v1/cycles/{id}/bulletin.docx': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 督导通报草稿（Word .docx），供督导室编辑后印发 */
    get: operations['CyclesController_bulletinDocx'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/cycles/{id}/bulletin.html': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 督导通报草稿（HTML 页面） */
    get: operations['CyclesController_bulletinHtml'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/cycles/{id}/close': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 结束督导周期（督导室）：锁定，此后不能再报送、评价、退回或修改 */
    post: operations['CyclesController_close'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/cycles/{id}/open': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 立即开启督导周期（督导室）：向范围内每个任务的责任单位发送报送通知 */
    post: operations['CyclesController_open'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/cycles/{id}/reports': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 督导周期的报告（科室用户只看到本单位的） */
    get: operations['CyclesController_reports'];
    put?: never;
    /** 向督导周期报送（本单位）：JSON {"taskId", "body"}，或 multipart/form-data（附件字段 attachments 最多 5 个，类型 .pdf、.docx、.xlsx、.pptx、.doc、.xls、.jpg、.jpeg、.png、.txt、.zip）；周期结束后 409 */
    post: operations['CyclesController_report'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/cycles/{id}/results': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 督导结果：按单位、按板块统计按时、逾期、未报送与评价 */
    get: operations['CyclesController_results'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/digests/preview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * 预览某单位某周的督办周报（不发送）
     * @description 牵头与配合任务中已逾期、两周内到期、退回待修改、延期申请待审批及督导周期待报送的事项
     */
    get: operations['DigestsController_unit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/digests/preview/leaders': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * 预览某周的局领导督办周报（不发送）
     * @description 各工作要点按板块、按单位的红黄绿进展，以及逾期最久的事项
     */
    get: operations['DigestsController_leaders'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/extension-requests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 延期申请列表（跨任务）：status=pending 即待审批，最早提出的在前；科室用户只看到本单位的 */
    get: operations['ExtensionsController_listAll'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/extension-requests/{id}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 批准延期（督导室）：截止日期改为申请日期，提醒随之重排，并通知责任单位 */
    post: operations['ExtensionsController_approve'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/extension-requests/{id}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 驳回延期（督导室，须填写意见）：截止日期不变，并通知责任单位 */
    post: operations['ExtensionsController_reject'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 数据库与队列的连通状态；任一不可用时返回 503 */
    get: operations['HealthController_health'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/items/{id}/escalation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** 为单个条目设置升级规则（body 为 null 沿用计划的规则） */
    put: operations['EscalationsController_setItemLadder'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/notification-preferences': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 我接收哪些消息、通过哪些渠道（红牌督办不能关闭） */
    get: operations['ChannelsController_myPreferences'];
    /** 设置我接收哪些消息、通过哪些渠道 */
    put: operations['ChannelsController_setPreferences'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/milestones/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** 删除节点（督导室）；其提醒随之取消 */
    delete: operations['MilestonesController_remove'];
    options?: never;
    head?: never;
    /** 修改节点名称或日期（督导室或本单位科室负责人），或标记完成/重新打开（本单位人员或督导室）；提醒随之重排或取消 */
    patch: operations['MilestonesController_update'];
    trace?: never;
  };
  '/api/v1/notifications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 我的站内通知（只能看自己的），含未读数 */
    get: operations['NotificationsController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/notifications/{id}/read': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 标记为已读 */
    post: operations['NotificationsController_read'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/notifications/ledger': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 发送台账（督导室、管理员）：每条消息的类型、收件人、渠道、状态（及原因）、尝试次数、时间 */
    get: operations['NotificationsController_ledgerPage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/notifications/ledger/{id}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 重新发送一条失败的消息（含已放弃自动重试的死信） */
    post: operations['NotificationsController_retry'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/notifications/read-all': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 全部标记为已读 */
    post: operations['NotificationsController_readAll'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/outbox': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 未配置 SMTP_URL 时写入 DATA_DIR/outbox 的邮件（最新在前；管理员、督导室） */
    get: operations['OutboxController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/outbox/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 一封发件箱邮件的内容（已解析） */
    get: operations['OutboxController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 已导入的工作要点 */
    get: operations['PlansController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 工作要点及其板块、条目 */
    get: operations['PlansController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{id}/cycle-cadences': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 工作要点的定期督导计划（每月、每季度或 cron） */
    get: operations['CyclesController_listCadences'];
    put?: never;
    /** 设置定期督导（督导室）：每月、每季度（首个工作日开启）或 cron；每个周期只开启一次，停机期间错过的周期在恢复后开启一次 */
    post: operations['CyclesController_createCadence'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{id}/cycles': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 工作要点的督导周期（最新在前） */
    get: operations['CyclesController_list'];
    put?: never;
    /** 创建一次督导（督导室）：范围、开启日期、截止（开启后工作日数）与截止前提醒；开启日期为今天或更早则立即开启，向范围内每个任务的责任单位发送报送通知 */
    post: operations['CyclesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{id}/escalation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 计划的升级规则（黄牌、红牌、逾期提醒） */
    get: operations['EscalationsController_planLadder'];
    /** 设置计划的升级规则（body 为 null 恢复默认），并重排未完成任务的升级 */
    put: operations['EscalationsController_setPlanLadder'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{id}/ledger.xlsx': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * 导出督办台账（.xlsx）
     * @description 每个任务一行：板块、条目、责任单位、牵头/配合、截止时间、状态、最近报送、督办等级、督导评价。科室人员只导出本单位的任务。
     */
    get: operations['ExportsController_ledger'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{id}/policy': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** 设置计划的提醒策略，并重排其未完成任务的提醒 */
    put: operations['PlansController_setPolicy'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{id}/progress': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 工作要点进度：板块 → 条目的汇总状态、按状态计数和逾期标记（由任务状态与截止时间实时计算，不另存） */
    get: operations['ProgressController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{id}/revisions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * 以修订稿（调整稿）修订工作要点；dryRun=true 只返回差异
     * @description 条目先按完全相同的文字、再按板块+编号、再按文字相似度与当前版本对应；新增条目建任务，删除条目或责任单位的任务撤销（进展报告保留），截止日期调整的任务重排提醒，每项变化记入审计，受影响的责任单位各收到一条通知。删除超过一半（或全部）要点须 confirmRemoval=true，否则 400
     */
    post: operations['PlanRevisionsController_revise'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{id}/schedule': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 提醒计划预览：将要发出的每条提醒与督办升级（黄牌、红牌、逾期提醒）——何时、发给谁、经哪个渠道、为何发送；科室人员只看到本科室的任务 */
    get: operations['SchedulePreviewController_ofPlan'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{id}/versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 工作要点的各版本（最新在前）：来源文件、哈希、修订人、时间、变化摘要 */
    get: operations['PlanRevisionsController_versions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/{id}/versions/{version}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 工作要点某一版本的内容及其相对上一版的差异 */
    get: operations['PlanRevisionsController_version'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plans/import': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * 导入工作要点文档（.txt 或 .docx）；同一文档重复导入不做任何更改
     * @description 无法读取或不是工作要点的文档返回 400；超过大小、压缩包文件数、解压后大小、解析时间或内存上限的文档返回 413，message 说明超出的上限
     */
    post: operations['PlansController_import'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reminder-policy/preview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 预览提醒策略：给定截止日期，列出各次提醒的发送时间（按法定工作日计） */
    post: operations['ReminderPreviewController_preview'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/submissions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 进展报告列表（跨任务）：status=submitted 即督导室的审核队列，默认最早报送的在前；科室用户只看到本单位的 */
    get: operations['SubmissionsController_listAll'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/submissions/{id}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 审核通过（督导室）：任务办结，并通知责任单位 */
    post: operations['SubmissionsController_approve'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/submissions/{id}/reject': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 退回（督导室，须填写意见）：任务回到“已退办”，单位须重新报送，并通知责任单位 */
    post: operations['SubmissionsController_reject'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/submissions/{id}/return': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 退回（同 reject） */
    post: operations['SubmissionsController_return'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 任务列表（可按单位、状态、截止日期筛选，分页）；科室用户只看到本单位的任务 */
    get: operations['TasksController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['TasksController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** 修改截止时间（督导室）或办结/重新打开任务；提醒随之重排或取消 */
    patch: operations['TasksController_update'];
    trace?: never;
  };
  '/api/v1/tasks/{id}/acknowledge': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 签收（本单位） */
    post: operations['TasksController_acknowledge'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 撤销任务（督导室） */
    post: operations['TasksController_cancel'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks/{id}/extension-requests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 任务的延期申请记录（分页，最新在前） */
    get: operations['ExtensionsController_list'];
    put?: never;
    /** 申请延期（本单位，截止前）：每项任务同时只能有一份待审批的申请 */
    post: operations['ExtensionsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks/{id}/milestone-suggestions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 建议节点：按条目文字列出的具体措施（一是…二是…、分号分隔的措施、写明时限的句子）拆分，日期取其自身时限，否则在任务截止前均匀安排 */
    get: operations['MilestonesController_suggestions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks/{id}/milestone-suggestions/accept': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 采纳建议节点（牵头单位人员或督导室）：创建所选（默认全部）建议节点，已有同名节点的跳过；各节点按计划的提醒策略提醒 */
    post: operations['MilestonesController_acceptSuggestions'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks/{id}/milestones': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 任务的节点（按节点时间排序，分页） */
    get: operations['MilestonesController_list'];
    put?: never;
    /** 为任务添加节点（督导室，或本单位科室负责人）；节点按计划的提醒策略提醒责任单位 */
    post: operations['MilestonesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks/{id}/nudge': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 催办（督导室）：立即提醒责任单位，可附留言；同一任务 10 分钟内只能催办一次（429） */
    post: operations['NudgesController_nudge'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks/{id}/reopen': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 重新打开已办结或已撤销的任务（督导室） */
    post: operations['TasksController_reopen'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks/{id}/schedule': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 一个任务（含其工作节点）将要发出的提醒与督办升级 */
    get: operations['SchedulePreviewController_ofTask'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks/{id}/start': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 开始办理（本单位） */
    post: operations['TasksController_start'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tasks/{id}/submissions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 任务的全部进展报告（每次报送一条，最新在前，分页），含附件与审核结果 */
    get: operations['SubmissionsController_list'];
    put?: never;
    /** 报送进展（本单位）：multipart/form-data（字段 body，附件字段 attachments 最多 5 个，每个不超过 10 MB，类型 .pdf、.docx、.xlsx、.pptx、.doc、.xls、.jpg、.jpeg、.png、.txt、.zip），或 JSON {"body": "…"} */
    post: operations['SubmissionsController_submit'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/units': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * 责任单位列表
     * @description 科室负责人和联络员只看得到本单位的联系邮箱，其他单位不含 email 字段
     */
    get: operations['UnitsController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/units/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** 设置责任单位的联系邮箱和分管局领导 */
    patch: operations['UnitsController_update'];
    trace?: never;
  };
  '/api/v1/units/{id}/calendar-feed': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * 生成（或更换）单位截止日期的日历订阅地址
     * @description 系统管理员或本单位负责人可用。地址含密钥，无需登录即可订阅（ICS）；只保存密钥的摘要，地址仅此一次显示；再次生成后旧地址立即失效。
     */
    post: operations['ExportsController_rotate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/units/{id}/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 责任单位的群机器人（企业微信、钉钉），地址只显示部分 */
    get: operations['ChannelsController_webhooksOf'];
    put?: never;
    /** 为责任单位添加群机器人：发给该单位的消息也发到群里 */
    post: operations['ChannelsController_addWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 用户列表 */
    get: operations['UsersController_list'];
    put?: never;
    /** 创建用户（管理员） */
    post: operations['UsersController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['UsersController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** 修改用户的姓名、角色、单位或启用状态（管理员） */
    patch: operations['UsersController_update'];
    trace?: never;
  };
  '/api/v1/users/{id}/password-reset': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 重置密码（管理员）：返回只显示一次的临时密码，用户下次登录须先修改 */
    post: operations['UsersController_resetPassword'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}/unlock': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 解除登录限制（管理员）：该账号可立即在任何地址重新登录 */
    post: operations['UsersController_unlock'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** 删除群机器人 */
    delete: operations['ChannelsController_removeWebhook'];
    options?: never;
    head?: never;
    /** 修改群机器人（地址、密钥、启用） */
    patch: operations['ChannelsController_updateWebhook'];
    trace?: never;
  };
  '/api/v1/webhooks/{id}/test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 向群机器人发一条测试消息 */
    post: operations['ChannelsController_testWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/ics/units/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** 单位截止日期日历（ICS，凭密钥地址访问，无需登录） */
    get: operations['CalendarFeedController_feed'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    AcceptedSuggestionsDto: {
      created: components['schemas']['MilestoneViewDto'][];
      /** @description 任务已有同名节点而未创建的建议 */
      skipped: components['schemas']['SkippedSuggestionDto'][];
    };
    AcceptSuggestionsDto: {
      /**
       * @description 要采纳的建议序号；不给出则采纳全部
       * @example [
       *       1,
       *       3
       *     ]
       */
      indexes?: number[];
    };
    AttachmentDto: {
      contentType: string;
      fileName: string;
      /** @description 下载：GET /api/v1/cycle-reports/{reportId}/attachments/{id} */
      id: string;
      sha256: string;
      sizeBytes: number;
    };
    AttachmentViewDto: {
      contentType: string;
      fileName: string;
      /** @description 下载：GET /api/v1/attachments/{id} */
      id: string;
      /** @description 内容的 SHA-256（十六进制） */
      sha256: string;
      sizeBytes: number;
    };
    CadenceViewDto: {
      active: boolean;
      cron: string | null;
      currentPeriod: components['schemas']['CurrentPeriodDto'] | null;
      dueWorkdays: number;
      id: string;
      /** @enum {string} */
      kind: 'monthly' | 'quarterly' | 'cron';
      openAt: string;
      planId: string;
      reminders: string[];
      scope: components['schemas']['ScopeDto'];
      startsOn: string;
      title: string;
    };
    CalendarFeedDto: {
      createdAt: string;
      unitId: string;
      /**
       * @description 订阅地址（含密钥，仅此一次显示；再次生成后旧地址立即失效）
       * @example https://duban.example.org/ics/units/…​.ics
       */
      url: string;
    };
    ChangePasswordDto: {
      currentPassword: string;
      /** @description 至少 10 位；不能是常见密码、重复或顺序字符，不能包含邮箱名或姓名 */
      newPassword: string;
    };
    CreateCadenceDto: {
      /**
       * @description kind 为 cron 时：5 个字段（分 时 日 月 周），业务时区
       * @example 0 9 1 * *
       */
      cron?: string;
      /** @description 开启后几个工作日内报送 */
      dueWorkdays: number;
      /**
       * @description monthly = 每月；quarterly = 每季度；cron = 自定义
       * @enum {string}
       */
      kind: 'monthly' | 'quarterly' | 'cron';
      /** @description 每月/每季度周期的开启时刻 HH:mm，默认 09:00 */
      openAt?: string;
      /** @description 开启日期 YYYY-MM-DD，默认今天；今天或更早则立即开启 */
      opensOn?: string;
      /**
       * @description 截止前提醒：ISO-8601 时长，按工作日计算、09:00 发送（如 -P2D 为截止前 2 个工作日，P0D 为截止当天）
       * @example [
       *       "-P2D",
       *       "P0D"
       *     ]
       */
      reminders?: string[];
      /** @description 督导范围，默认全部要点 */
      scope?: components['schemas']['ScopeDto'];
      /** @description 首个周期不早于此日期（YYYY-MM-DD），默认今天 */
      startsOn?: string;
      /** @example 2022年第一季度专项督导 */
      title?: string;
    };
    CreateCycleDto: {
      /** @description 开启后几个工作日内报送 */
      dueWorkdays: number;
      /** @description 开启日期 YYYY-MM-DD，默认今天；今天或更早则立即开启 */
      opensOn?: string;
      /**
       * @description 截止前提醒：ISO-8601 时长，按工作日计算、09:00 发送（如 -P2D 为截止前 2 个工作日，P0D 为截止当天）
       * @example [
       *       "-P2D",
       *       "P0D"
       *     ]
       */
      reminders?: string[];
      /** @description 督导范围，默认全部要点 */
      scope?: components['schemas']['ScopeDto'];
      /** @example 2022年第一季度专项督导 */
      title?: string;
    };
    CreateExtensionRequestDto: {
      /**
       * @description 申请的新截止日期（业务时区当天结束），须晚于当前截止日期，YYYY-MM-DD
       * @example 2026-12-31
       */
      proposedDueDate: string;
      /** @description 延期理由 */
      reason: string;
    };
    CreateMilestoneDto: {
      /**
       * @description 精确节点时间，带时区的 ISO-8601；与 dueDate 二选一
       * @example 2026-06-30T18:00:00+08:00
       */
      dueAt?: string;
      /**
       * @description 节点日期（业务时区当天结束），YYYY-MM-DD；不能早于今天，也不能晚于任务截止时间。与 dueAt 二选一
       * @example 2026-06-30
       */
      dueDate?: string;
      /** @description 节点名称 */
      title: string;
    };
    CreateTokenDto: {
      /**
       * @description 有效天数
       * @default 90
       */
      expiresInDays: number;
      /** @example OA 系统对接 */
      name: string;
      /**
       * @description read：只能读取（GET）；write：读取和修改
       * @default [
       *       "read"
       *     ]
       */
      scopes: ('read' | 'write')[];
    };
    CreateUserDto: {
      /** @example xck@example.org */
      email: string;
      /** @example 张三 */
      name: string;
      /** @description 初始密码：至少 10 位，不能是常见密码、重复或顺序字符，不能包含邮箱名或姓名 */
      password?: string;
      /** @enum {string} */
      role: 'admin' | 'leader' | 'supervisor' | 'unit_head' | 'unit_member';
      /** @description 所属责任单位（科室负责人、联络员必填） */
      unitId?: string;
    };
    CreateWebhookDto: {
      /**
       * @description wecom = 企业微信群机器人，dingtalk = 钉钉群机器人
       * @enum {string}
       */
      kind: 'wecom' | 'dingtalk';
      /** @description 钉钉机器人“加签”的密钥（SEC 开头） */
      secret?: string;
      /** @description 机器人的 Webhook 地址（保密，之后只显示部分） */
      url: string;
    };
    CurrentPeriodDto: {
      key: string;
      label: string;
      opensOn: string;
    };
    CycleReportDto: {
      body: string;
      /** @description 报送的任务 id（本单位、在本轮督导范围内） */
      taskId: string;
    };
    CycleReportViewDto: {
      attachments: components['schemas']['AttachmentDto'][];
      body: string;
      comment: string | null;
      cycleId: string;
      decidedAt: string | null;
      decidedBy: components['schemas']['PersonRefDto'] | null;
      id: string;
      item: components['schemas']['ItemRefDto'];
      /** @description 第几次报送（退回后重报为新的一次） */
      number: number;
      /** @description 是否在截止时间前报送 */
      onTime: boolean;
      /** @enum {string|null} */
      rating: 'good' | 'fair' | 'average' | 'poor' | null;
      /** @description 好/较好/一般/差 */
      ratingLabel: string | null;
      /** @enum {string} */
      status: 'submitted' | 'rated' | 'returned';
      submittedAt: string;
      submittedBy: components['schemas']['PersonRefDto'];
      taskId: string;
      unit: components['schemas']['PersonRefDto'];
      version: number;
    };
    CycleResultsDto: {
      cycle: components['schemas']['CycleViewDto'];
      requests: components['schemas']['RequestResultDto'][];
      sections: components['schemas']['SectionResultDto'][];
      totals: components['schemas']['TallyDto'];
      units: components['schemas']['UnitResultDto'][];
    };
    CycleViewDto: {
      cadenceId: string | null;
      closedAt: string | null;
      dueAt: string;
      dueOn: string;
      dueWorkdays: number;
      id: string;
      openedAt: string | null;
      opensOn: string;
      /** @description 周期标识，如 2022-Q2 */
      periodKey: string | null;
      planId: string;
      reminders: string[];
      requestedTasks: number;
      requestedUnits: number;
      scope: components['schemas']['ScopeDto'];
      /** @enum {string} */
      status: 'scheduled' | 'open' | 'closed';
      title: string;
      version: number;
    };
    DigestPreviewDto: {
      /** @description 本周已发送过 */
      alreadySent: boolean;
      /** @description 逾期、临近到期据此时刻判断（该周发送时刻；本周已过发送时刻则为当前时刻） */
      asOf: string;
      /** @description 没有任何待办事项 */
      empty: boolean;
      /** @description HTML 正文（所有内容均已转义） */
      html: string;
      /** @example unit:… */
      recipient: string;
      subject: string;
      /** @description 纯文本正文 */
      text: string;
      /** @example 2026-W41 */
      week: string;
      /** @description 每周发送时是否会发出（空周报默认不发） */
      wouldSend: boolean;
    };
    EscalationDto: {
      /**
       * @description 黄牌、红牌或未升级
       * @enum {string}
       */
      level: 'none' | 'yellow' | 'red';
      /** @description 升级的时间 */
      since: string | null;
    };
    EscalationLadderDto: {
      /**
       * @description 红牌：须晚于黄牌
       * @example P3D
       */
      red: string;
      /**
       * @description 黄牌后逾期提醒的间隔；null 为不提醒
       * @example P2D
       */
      repeat: string | null;
      /** @example 09:00 */
      sendAt?: string;
      /**
       * @description 黄牌：截止后第几个工作日（P1D）或精确时长（PT30S）
       * @example P1D
       */
      yellow: string;
    };
    ExtensionDecisionDto: {
      /** @description 审批意见；驳回时必填 */
      comment?: string;
      /** @description 乐观锁：调用方看到的申请版本号；不一致时返回 409 */
      version?: number;
    };
    ExtensionRequestPageDto: {
      items: components['schemas']['ExtensionRequestViewDto'][];
      page: number;
      pageSize: number;
      total: number;
    };
    ExtensionRequestViewDto: {
      createdAt: string;
      /** @description 提出申请时的截止时间 */
      currentDueAt: string;
      /** @description 提出申请时的截止日期 */
      currentDueDate: string;
      decidedAt: string | null;
      decidedBy: components['schemas']['PersonRefDto'] | null;
      decisionComment: string | null;
      id: string;
      proposedDueDate: string;
      reason: string;
      requestedBy: components['schemas']['PersonRefDto'];
      /** @enum {string} */
      status: 'pending' | 'approved' | 'rejected';
      taskId: string;
      version: number;
    };
    ExtensionTaskSummaryDto: {
      dueAt: string;
      id: string;
      item: Record<string, never>;
      planId: string;
      unit: Record<string, never>;
    };
    ItemProgressDto: {
      /** @description 条目下各任务按状态计数 */
      counts: components['schemas']['TaskCountsDto'];
      id: string;
      /** @description 牵头单位的任务状态；“各科室”类条目每个单位都牵头，此处为 null */
      lead: components['schemas']['LeadProgressDto'] | null;
      number: number;
      overdue: boolean;
      /**
       * @description assigned 未启动、in_progress 推进中、submitted 已报送、overdue 已逾期、closed 已办结、cancelled 已撤销
       * @enum {string}
       */
      status: 'assigned' | 'in_progress' | 'submitted' | 'overdue' | 'closed' | 'cancelled';
      title: string;
    };
    ItemRefDto: {
      number: number;
      title: string;
    };
    LeadProgressDto: {
      overdue: boolean;
      /** @enum {string} */
      status:
        | 'assigned'
        | 'acknowledged'
        | 'in_progress'
        | 'submitted'
        | 'returned'
        | 'closed'
        | 'cancelled';
      unitId: string;
      unitName: string;
    };
    LoginDto: {
      /** @example admin@example.org */
      email: string;
      password: string;
    };
    MilestonePageDto: {
      items: components['schemas']['MilestoneViewDto'][];
      page: number;
      pageSize: number;
      total: number;
    };
    MilestoneSuggestionDto: {
      /** @description 写明时限的原文，如“6月底前” */
      deadlineText: string | null;
      /** @example 2026-06-30 */
      dueDate: string;
      /** @description 任务已有同名节点（采纳时跳过） */
      exists: boolean;
      /** @description 建议序号（采纳时据此选择），从 1 起 */
      index: number;
      /**
       * @description stated：措施自身写明的时限；spread：在任务截止前均匀安排的工作日
       * @enum {string}
       */
      source: 'stated' | 'spread';
      /** @description 节点名称：条目文字列出的一项具体措施 */
      title: string;
    };
    MilestoneViewDto: {
      createdAt: string;
      done: boolean;
      doneAt: string | null;
      dueAt: string;
      /** @example 2026-06-30 */
      dueDate: string;
      id: string;
      /** @description 未完成且已过节点时间 */
      overdue: boolean;
      taskId: string;
      title: string;
    };
    NudgeDto: {
      /** @description 督导室留言，随催办邮件发出 */
      note?: string;
    };
    NudgeResultDto: {
      nudgedAt: string;
      nudgeId: string;
      /** @description 收件人数（本单位负责人和联络员，或单位联系邮箱） */
      recipients: number;
      taskId: string;
    };
    OutboxAttachmentDto: {
      contentType: string;
      fileName: string | null;
      sizeBytes: number;
    };
    OutboxEntryDto: {
      date: string | null;
      /** @description 文件名（.eml） */
      name: string;
      sizeBytes: number;
      subject: string;
      to: string;
    };
    OutboxMessageDto: {
      attachments: components['schemas']['OutboxAttachmentDto'][];
      date: string | null;
      from: string;
      /** @description 邮件的 HTML 正文，原样返回：只可在沙箱中显示，不可插入页面 */
      html?: string | null;
      /** @description 文件名（.eml） */
      name: string;
      sizeBytes: number;
      subject: string;
      text?: string | null;
      to: string;
    };
    OutboxPageDto: {
      items: components['schemas']['OutboxEntryDto'][];
      page: number;
      pageSize: number;
      total: number;
    };
    PersonRefDto: {
      id: string;
      name: string;
    };
    PlanProgressDto: {
      /** @description 计算时刻（逾期据此判断） */
      asOf: string;
      itemCounts: components['schemas']['StatusCountsDto'];
      overdue: boolean;
      plan: components['schemas']['PlanRefDto'];
      sectionCounts: components['schemas']['StatusCountsDto'];
      sections: components['schemas']['SectionProgressDto'][];
      /**
       * @description assigned 未启动、in_progress 推进中、submitted 已报送、overdue 已逾期、closed 已办结、cancelled 已撤销
       * @enum {string}
       */
      status: 'assigned' | 'in_progress' | 'submitted' | 'overdue' | 'closed' | 'cancelled';
      taskCounts: components['schemas']['TaskCountsDto'];
      totals: components['schemas']['TotalsDto'];
    };
    PlanRefDto: {
      docNumber: string | null;
      id: string;
      title: string;
      year: number;
    };
    PreferenceDto: {
      /** @enum {string} */
      channel: 'email' | 'inbox';
      enabled: boolean;
      /** @example reminder */
      kind: string;
    };
    PreferencesDto: {
      preferences: components['schemas']['PreferenceDto'][];
    };
    PreviewReminderDto: {
      /**
       * @description 发送日期（业务时区）
       * @example 2026-06-19
       */
      date: string;
      /** @description 发送时刻（UTC ISO-8601） */
      fireAt: string;
      /** @example -P7D */
      offset: string;
    };
    QueuedExtensionRequestDto: {
      createdAt: string;
      /** @description 提出申请时的截止时间 */
      currentDueAt: string;
      /** @description 提出申请时的截止日期 */
      currentDueDate: string;
      decidedAt: string | null;
      decidedBy: components['schemas']['PersonRefDto'] | null;
      decisionComment: string | null;
      id: string;
      proposedDueDate: string;
      reason: string;
      requestedBy: components['schemas']['PersonRefDto'];
      /** @enum {string} */
      status: 'pending' | 'approved' | 'rejected';
      task: components['schemas']['ExtensionTaskSummaryDto'];
      taskId: string;
      version: number;
    };
    QueuedExtensionRequestPageDto: {
      items: components['schemas']['QueuedExtensionRequestDto'][];
      page: number;
      pageSize: number;
      total: number;
    };
    QueuedSubmissionDto: {
      attachments: components['schemas']['AttachmentViewDto'][];
      body: string;
      decidedAt: string | null;
      decidedBy: components['schemas']['PersonRefDto'] | null;
      decisionComment: string | null;
      id: string;
      /** @description 第几次报送（退回后重报为新的一次，旧记录保留） */
      number: number;
      /** @enum {string} */
      status: 'submitted' | 'approved' | 'returned';
      submittedAt: string;
      submittedBy: components['schemas']['PersonRefDto'];
      task: components['schemas']['TaskSummaryDto'];
      taskId: string;
      /** @description 报告版本号（审核时用于乐观锁） */
      version: number;
    };
    QueuedSubmissionPageDto: {
      items: components['schemas']['QueuedSubmissionDto'][];
      page: number;
      pageSize: number;
      total: number;
    };
    RateDto: {
      comment?: string;
      /**
       * @description 好/较好/一般/差（或 good/fair/average/poor）
       * @enum {string}
       */
      rating: 'good' | 'fair' | 'average' | 'poor' | '好' | '较好' | '一般' | '差';
    };
    RatingCountsDto: {
      /** @description 一般 */
      average: number;
      /** @description 较好 */
      fair: number;
      /** @description 好 */
      good: number;
      /** @description 差 */
      poor: number;
    };
    ReminderPolicyDto: {
      /**
       * @description ISO-8601 时长：只含天/周的按工作日计（-P7D = 截止前 7 个工作日，于 sendAt 发送）；只含时分秒的为距截止时间的精确偏移（-PT5S）
       * @example [
       *       "-P7D",
       *       "-P1D",
       *       "P0D"
       *     ]
       */
      offsets: string[];
      /**
       * @description 按工作日计的提醒在业务时区的发送时刻
       * @example 09:00
       */
      sendAt?: string;
    };
    ReminderPolicyViewDto: {
      offsets: string[];
      sendAt: string;
    };
    ReminderPreviewDto: {
      /**
       * @description 示例截止日期（业务时区当天结束），YYYY-MM-DD
       * @example 2026-06-30
       */
      dueDate: string;
      /**
       * @example [
       *       "-P7D",
       *       "-P1D",
       *       "P0D"
       *     ]
       */
      offsets: string[];
      /** @example 09:00 */
      sendAt?: string;
    };
    ReminderPreviewResultDto: {
      dueAt: string;
      policy: components['schemas']['ReminderPolicyViewDto'];
      reminders: components['schemas']['PreviewReminderDto'][];
    };
    RequestResultDto: {
      comment: string | null;
      itemNumber: number;
      itemTitle: string;
      /**
       * @description 按时报送/逾期报送/未报送/待报送
       * @enum {string}
       */
      outcome: 'on_time' | 'late' | 'missing' | 'pending';
      /** @enum {string|null} */
      rating: 'good' | 'fair' | 'average' | 'poor' | null;
      /** @description 报告被退回且尚未重报 */
      returned: boolean;
      /** @enum {string} */
      role: 'lead' | 'co';
      sectionOrdinal: number;
      sectionTitle: string | null;
      taskId: string;
      unitId: string;
      unitName: string;
    };
    ReturnCycleReportDto: {
      /** @description 退回理由与修改要求 */
      comment: string;
    };
    ReturnDto: {
      /** @description 审核意见：退回的理由和修改要求 */
      comment: string;
      /** @description 乐观锁：调用方看到的报告版本号；不一致时返回 409 */
      version?: number;
    };
    ScheduleEntryDto: {
      /** @description 计划发送时刻（ISO-8601） */
      fireAt: string;
      /** @description 计划发送时刻（业务时区，文字） */
      fireAtText: string;
      /** @description 消息类型，例如 reminder、escalation.red */
      kind: string;
      /** @description 消息类型名称，例如 截止提醒、红牌督办 */
      kindLabel: string;
      milestone: components['schemas']['ScheduleMilestoneDto'] | null;
      /** @description 没有接收人时的说明 */
      note: string | null;
      occurrenceId: string;
      /** @description 按当前联系人与个人设置的接收人与渠道 */
      recipients: components['schemas']['ScheduleRecipientDto'][];
      /** @enum {string} */
      source: 'task.deadline' | 'milestone.deadline' | 'task.escalation';
      task: components['schemas']['ScheduleTaskDto'];
      /** @description 为何发送，例如 截止前 2 个工作日提醒 */
      why: string;
    };
    ScheduleMilestoneDto: {
      id: string;
      title: string;
    };
    SchedulePageDto: {
      items: components['schemas']['ScheduleEntryDto'][];
      page: number;
      pageSize: number;
      total: number;
    };
    ScheduleRecipientDto: {
      /** @enum {string} */
      channel: 'email' | 'inbox' | 'webhook';
      /** @description 邮箱地址，或群机器人的名称 */
      to: string;
    };
    ScheduleTaskDto: {
      id: string;
      itemNumber: string;
      itemTitle: string;
      /** @enum {string} */
      role: 'lead' | 'co';
      unitName: string;
    };
    ScopeDto: {
      /** @description 板块或条目 id（kind 为 sections/items 时） */
      ids?: string[];
      /**
       * @description plan = 全部要点；sections = 指定板块；items = 指定条目
       * @enum {string}
       */
      kind: 'plan' | 'sections' | 'items';
    };
    SectionProgressDto: {
      /** @description 板块下各条目按汇总状态计数 */
      counts: components['schemas']['StatusCountsDto'];
      id: string;
      items: components['schemas']['ItemProgressDto'][];
      ordinal: number;
      overdue: boolean;
      /**
       * @description assigned 未启动、in_progress 推进中、submitted 已报送、overdue 已逾期、closed 已办结、cancelled 已撤销
       * @enum {string}
       */
      status: 'assigned' | 'in_progress' | 'submitted' | 'overdue' | 'closed' | 'cancelled';
      taskCounts: components['schemas']['TaskCountsDto'];
      title: string | null;
    };
    SectionResultDto: {
      late: number;
      missing: number;
      onTime: number;
      /** @description 未到截止、尚未报送 */
      pending: number;
      ratings: components['schemas']['RatingCountsDto'];
      requested: number;
      sectionOrdinal: number;
      sectionTitle: string | null;
      /** @description 已报送、尚未评价 */
      unrated: number;
    };
    SkippedSuggestionDto: {
      index: number;
      title: string;
    };
    StatusCountsDto: {
      assigned: number;
      cancelled: number;
      closed: number;
      in_progress: number;
      overdue: number;
      submitted: number;
      total: number;
    };
    SubmissionOutcomeDto: {
      attachments: components['schemas']['AttachmentViewDto'][];
      body: string;
      decidedAt: string | null;
      decidedBy: components['schemas']['PersonRefDto'] | null;
      decisionComment: string | null;
      id: string;
      /** @description 第几次报送（退回后重报为新的一次，旧记录保留） */
      number: number;
      /** @enum {string} */
      status: 'submitted' | 'approved' | 'returned';
      submittedAt: string;
      submittedBy: components['schemas']['PersonRefDto'];
      /** @description 变更后的任务状态 */
      task: components['schemas']['TaskRefDto'];
      taskId: string;
      /** @description 报告版本号（审核时用于乐观锁） */
      version: number;
    };
    SubmissionPageDto: {
      items: components['schemas']['SubmissionViewDto'][];
      page: number;
      pageSize: number;
      total: number;
    };
    SubmissionViewDto: {
      attachments: components['schemas']['AttachmentViewDto'][];
      body: string;
      decidedAt: string | null;
      decidedBy: components['schemas']['PersonRefDto'] | null;
      decisionComment: string | null;
      id: string;
      /** @description 第几次报送（退回后重报为新的一次，旧记录保留） */
      number: number;
      /** @enum {string} */
      status: 'submitted' | 'approved' | 'returned';
      submittedAt: string;
      submittedBy: components['schemas']['PersonRefDto'];
      taskId: string;
      /** @description 报告版本号（审核时用于乐观锁） */
      version: number;
    };
    SubmitReportDto: {
      /** @description 进展报告正文 */
      body: string;
      /** @description 乐观锁：调用方看到的任务版本号；不一致时返回 409 */
      version?: number;
    };
    TallyDto: {
      late: number;
      missing: number;
      onTime: number;
      /** @description 未到截止、尚未报送 */
      pending: number;
      ratings: components['schemas']['RatingCountsDto'];
      requested: number;
      /** @description 已报送、尚未评价 */
      unrated: number;
    };
    TaskCountsDto: {
      acknowledged: number;
      assigned: number;
      cancelled: number;
      closed: number;
      in_progress: number;
      /** @description 未办结且已过截止时间的任务数 */
      overdue: number;
      /** @description 红牌督办中的任务数 */
      red: number;
      returned: number;
      submitted: number;
      total: number;
      /** @description 黄牌督办中的任务数 */
      yellow: number;
    };
    TaskRefDto: {
      id: string;
      /** @enum {string} */
      status:
        | 'assigned'
        | 'acknowledged'
        | 'in_progress'
        | 'submitted'
        | 'returned'
        | 'closed'
        | 'cancelled';
      version: number;
    };
    TaskSummaryDto: {
      dueAt: string;
      id: string;
      item: Record<string, never>;
      planId: string;
      /** @enum {string} */
      role: 'lead' | 'co';
      /** @enum {string} */
      status:
        | 'assigned'
        | 'acknowledged'
        | 'in_progress'
        | 'submitted'
        | 'returned'
        | 'closed'
        | 'cancelled';
      unit: Record<string, never>;
    };
    TaskViewDto: {
      completedAt: string | null;
      dueAt: string;
      dueDate: string;
      escalation: components['schemas']['EscalationDto'];
      id: string;
      item: Record<string, never>;
      overdue: boolean;
      planId: string;
      /** @enum {string} */
      role: 'lead' | 'co';
      /** @enum {string} */
      status:
        | 'assigned'
        | 'acknowledged'
        | 'in_progress'
        | 'submitted'
        | 'returned'
        | 'closed'
        | 'cancelled';
      unit: Record<string, never>;
      version: number;
    };
    TotalsDto: {
      items: number;
      sections: number;
      tasks: number;
    };
    UnitResultDto: {
      late: number;
      missing: number;
      onTime: number;
      /** @description 未到截止、尚未报送 */
      pending: number;
      ratings: components['schemas']['RatingCountsDto'];
      requested: number;
      unitId: string;
      unitName: string;
      /** @description 已报送、尚未评价 */
      unrated: number;
    };
    UpdateCycleDto: {
      /** @description 截止前提醒：ISO-8601 时长，按工作日计算、09:00 发送（如 -P2D 为截止前 2 个工作日，P0D 为截止当天） */
      reminders?: string[];
      title?: string;
    };
    UpdateMilestoneDto: {
      /** @description true = 标记完成（取消其提醒）；false = 重新打开 */
      done?: boolean;
      /**
       * @description 新的精确节点时间，带时区的 ISO-8601
       * @example 2026-06-30T18:00:00+08:00
       */
      dueAt?: string;
      /**
       * @description 新的节点日期，YYYY-MM-DD
       * @example 2026-06-30
       */
      dueDate?: string;
      /** @description 节点名称 */
      title?: string;
    };
    UpdateTaskDto: {
      /**
       * @description 精确截止时间，带时区的 ISO-8601
       * @example 2026-12-31T18:00:00+08:00
       */
      dueAt?: string;
      /**
       * @description 新的截止日期（业务时区当天结束），YYYY-MM-DD
       * @example 2026-12-31
       */
      dueDate?: string;
      /**
       * @description done = 办结；open = 重新打开
       * @enum {string}
       */
      status?: 'open' | 'done';
      /** @description 乐观锁：调用方看到的版本号；不一致时返回 409 */
      version?: number;
    };
    UpdateUnitDto: {
      /**
       * @description 接收提醒的联系邮箱；null 表示清除；不给则不变
       * @example xck@example.org
       */
      email?: string | null;
      /** @description 分管局领导（局领导账号 id），红牌督办发给他；null 表示清除；不给则不变 */
      leaderId?: string | null;
    };
    UpdateUserDto: {
      /** @description false 停用账号：结束其所有登录并吊销其 API 令牌 */
      active?: boolean;
      /** @example 张三 */
      name?: string;
      /**
       * @description 改变角色会结束该用户的所有登录
       * @enum {string}
       */
      role?: 'admin' | 'leader' | 'supervisor' | 'unit_head' | 'unit_member';
      /** @description 所属责任单位；null 表示不属于任何单位（科室负责人、联络员必须有单位） */
      unitId?: string | null;
    };
    UpdateWebhookDto: {
      enabled?: boolean;
      secret?: string | null;
      url?: string;
    };
    VersionDto: {
      /** @description 乐观锁：调用方看到的版本号；不一致时返回 409 */
      version?: number;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  SubmissionsController_download: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': string;
        };
      };
    };
  };
  AuditController_list: {
    parameters: {
      query?: {
        actorId?: string;
        entityId?: string;
        /** @description 对象类型，如 task、submission、user */
        entityType?: string;
        /** @description 起始时间（含），ISO-8601 */
        from?: string;
        page?: number;
        pageSize?: number;
        /** @description 截止时间（不含），ISO-8601 */
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuthController_login: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['LoginDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuthController_logout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuthController_logoutAll: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuthController_me: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuthController_changePassword: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ChangePasswordDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuthController_listTokens: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuthController_createToken: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateTokenDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuthController_revokeToken: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CalendarController_year: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        year: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CalendarController_setYear: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        year: number;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': unknown;
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CyclesController_stopCadence: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CadenceViewDto'];
        };
      };
    };
  };
  CyclesController_download: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        attachmentId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': string;
        };
      };
    };
  };
  CyclesController_rate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RateDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CycleReportViewDto'];
        };
      };
    };
  };
  CyclesController_return: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReturnCycleReportDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CycleReportViewDto'];
        };
      };
    };
  };
  CyclesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CycleViewDto'];
        };
      };
    };
  };
  CyclesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateCycleDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CycleViewDto'];
        };
      };
    };
  };
  CyclesController_bulletinDocx: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document': string;
        };
      };
    };
  };
  CyclesController_bulletinHtml: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
    };
  };
  CyclesController_close: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CycleViewDto'];
        };
      };
    };
  };
  CyclesController_open: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CycleViewDto'];
        };
      };
    };
  };
  CyclesController_reports: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CycleReportViewDto'][];
        };
      };
    };
  };
  CyclesController_report: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json':
          | components['schemas']['CycleReportDto']
          | {
              attachments?: string[];
              body: string;
              /** Format: uuid */
              taskId: string;
            };
        'multipart/form-data':
          | components['schemas']['CycleReportDto']
          | {
              attachments?: string[];
              body: string;
              /** Format: uuid */
              taskId: string;
            };
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CycleReportViewDto'];
        };
      };
    };
  };
  CyclesController_results: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CycleResultsDto'];
        };
      };
    };
  };
  DigestsController_unit: {
    parameters: {
      query: {
        /** @description 责任单位 id */
        unit: string;
        /** @description ISO 周，例如 2026-W41；缺省为本周 */
        week?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DigestPreviewDto'];
        };
      };
    };
  };
  DigestsController_leaders: {
    parameters: {
      query?: {
        /** @description ISO 周，例如 2026-W41；缺省为本周 */
        week?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DigestPreviewDto'];
        };
      };
    };
  };
  ExtensionsController_listAll: {
    parameters: {
      query?: {
        page?: number;
        pageSize?: number;
        planId?: string;
        /** @description pending = 待审批 */
        status?: 'pending' | 'approved' | 'rejected';
        /** @description 责任单位 id */
        unitId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['QueuedExtensionRequestPageDto'];
        };
      };
    };
  };
  ExtensionsController_approve: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ExtensionDecisionDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ExtensionRequestViewDto'];
        };
      };
    };
  };
  ExtensionsController_reject: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ExtensionDecisionDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ExtensionRequestViewDto'];
        };
      };
    };
  };
  HealthController_health: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  EscalationsController_setItemLadder: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['EscalationLadderDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ChannelsController_myPreferences: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ChannelsController_setPreferences: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PreferencesDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  MilestonesController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  MilestonesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateMilestoneDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MilestoneViewDto'];
        };
      };
    };
  };
  NotificationsController_list: {
    parameters: {
      query?: {
        page?: number;
        pageSize?: number;
        /** @description true = 只看未读 */
        unread?: boolean;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  NotificationsController_read: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  NotificationsController_ledgerPage: {
    parameters: {
      query?: {
        channel?: 'email' | 'inbox' | 'webhook';
        /** @description true = 只看已放弃自动重试的失败消息（死信） */
        deadLetter?: boolean;
        /** @description 起（含），ISO-8601 */
        from?: string;
        /** @description 消息类型，例如 reminder、nudge、submission.returned */
        kind?: string;
        page?: number;
        pageSize?: number;
        /** @description 收件地址 */
        recipient?: string;
        status?: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
        /** @description 只看某个任务的消息 */
        taskId?: string;
        /** @description 止（不含），ISO-8601 */
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  NotificationsController_retry: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  NotificationsController_readAll: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  OutboxController_list: {
    parameters: {
      query?: {
        page?: number;
        pageSize?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OutboxPageDto'];
        };
      };
    };
  };
  OutboxController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OutboxMessageDto'];
        };
      };
    };
  };
  PlansController_list: {
    parameters: {
      query?: {
        page?: number;
        pageSize?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PlansController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CyclesController_listCadences: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CadenceViewDto'][];
        };
      };
    };
  };
  CyclesController_createCadence: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateCadenceDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CadenceViewDto'];
        };
      };
    };
  };
  CyclesController_list: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CycleViewDto'][];
        };
      };
    };
  };
  CyclesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateCycleDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CycleViewDto'];
        };
      };
    };
  };
  EscalationsController_planLadder: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  EscalationsController_setPlanLadder: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['EscalationLadderDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ExportsController_ledger: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Excel 工作簿 */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': string;
        };
      };
    };
  };
  PlansController_setPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReminderPolicyDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ProgressController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlanProgressDto'];
        };
      };
    };
  };
  PlanRevisionsController_revise: {
    parameters: {
      query?: {
        /** @description 预览所基于的版本号；计划已被他人修订为更新的版本时返回 409 */
        baseVersion?: number;
        /** @description 修订将删除超过一半（或全部）要点时，须为 true 才会执行 */
        confirmRemoval?: boolean;
        /** @description true = 只返回修订将带来的变化（差异），不做任何更改 */
        dryRun?: boolean;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /** Format: binary */
          file: string;
        };
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  SchedulePreviewController_ofPlan: {
    parameters: {
      query?: {
        /** @description 起（含），ISO-8601；默认为当前时刻 */
        from?: string;
        page?: number;
        pageSize?: number;
        /** @description 止（不含），ISO-8601；默认为起点后 400 天 */
        to?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SchedulePageDto'];
        };
      };
    };
  };
  PlanRevisionsController_versions: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PlanRevisionsController_version: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        version: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PlansController_import: {
    parameters: {
      query?: {
        /** @description 修订将删除超过一半（或全部）要点时，须为 true 才会执行 */
        confirmRemoval?: boolean;
        /** @description true = 只解析并返回导入后将创建的内容（板块、条目、责任单位、截止日期、警告），不做任何更改 */
        dryRun?: boolean;
        /** @description true = 文号已存在而内容不同时，作为该计划的修订稿导入（先用 dryRun=true 查看差异）；文号不存在时照常导入 */
        revise?: boolean;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /** Format: binary */
          file: string;
        };
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ReminderPreviewController_preview: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReminderPreviewDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReminderPreviewResultDto'];
        };
      };
    };
  };
  SubmissionsController_listAll: {
    parameters: {
      query?: {
        order?: 'oldest' | 'newest';
        page?: number;
        pageSize?: number;
        planId?: string;
        /** @description submitted = 待审核（审核队列） */
        status?: 'submitted' | 'approved' | 'returned';
        /** @description 责任单位 id */
        unitId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['QueuedSubmissionPageDto'];
        };
      };
    };
  };
  SubmissionsController_approve: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SubmissionOutcomeDto'];
        };
      };
    };
  };
  SubmissionsController_reject: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReturnDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SubmissionOutcomeDto'];
        };
      };
    };
  };
  SubmissionsController_return: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReturnDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SubmissionOutcomeDto'];
        };
      };
    };
  };
  TasksController_list: {
    parameters: {
      query?: {
        /** @description 截止日期不早于（含），YYYY-MM-DD */
        dueAfter?: string;
        /** @description 截止日期不晚于（含），YYYY-MM-DD */
        dueBefore?: string;
        /** @description 督办升级：yellow 黄牌、red 红牌、any 黄牌或红牌、none 未升级 */
        escalation?: 'yellow' | 'red' | 'any' | 'none';
        page?: number;
        pageSize?: number;
        /** @description 按工作要点筛选 */
        planId?: string;
        /** @description 状态；open = 未办结，overdue = 未办结且已过截止时间 */
        status?:
          | 'assigned'
          | 'acknowledged'
          | 'in_progress'
          | 'submitted'
          | 'returned'
          | 'closed'
          | 'cancelled'
          | 'open'
          | 'overdue';
        /** @description 责任单位 id 或名称 */
        unit?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  TasksController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TaskViewDto'];
        };
      };
    };
  };
  TasksController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateTaskDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TaskViewDto'];
        };
      };
    };
  };
  TasksController_acknowledge: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['VersionDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TaskViewDto'];
        };
      };
    };
  };
  TasksController_cancel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['VersionDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TaskViewDto'];
        };
      };
    };
  };
  ExtensionsController_list: {
    parameters: {
      query?: {
        page?: number;
        pageSize?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ExtensionRequestPageDto'];
        };
      };
    };
  };
  ExtensionsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateExtensionRequestDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ExtensionRequestViewDto'];
        };
      };
    };
  };
  MilestonesController_suggestions: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MilestoneSuggestionDto'][];
        };
      };
    };
  };
  MilestonesController_acceptSuggestions: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['AcceptSuggestionsDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedSuggestionsDto'];
        };
      };
    };
  };
  MilestonesController_list: {
    parameters: {
      query?: {
        page?: number;
        pageSize?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MilestonePageDto'];
        };
      };
    };
  };
  MilestonesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateMilestoneDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MilestoneViewDto'];
        };
      };
    };
  };
  NudgesController_nudge: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['NudgeDto'];
      };
    };
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NudgeResultDto'];
        };
      };
    };
  };
  TasksController_reopen: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['VersionDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TaskViewDto'];
        };
      };
    };
  };
  SchedulePreviewController_ofTask: {
    parameters: {
      query?: {
        /** @description 起（含），ISO-8601；默认为当前时刻 */
        from?: string;
        page?: number;
        pageSize?: number;
        /** @description 止（不含），ISO-8601；默认为起点后 400 天 */
        to?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SchedulePageDto'];
        };
      };
    };
  };
  TasksController_start: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['VersionDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TaskViewDto'];
        };
      };
    };
  };
  SubmissionsController_list: {
    parameters: {
      query?: {
        page?: number;
        pageSize?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SubmissionPageDto'];
        };
      };
    };
  };
  SubmissionsController_submit: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json':
          | {
              attachments?: string[];
              body: string;
              version?: number;
            }
          | components['schemas']['SubmitReportDto'];
        'multipart/form-data':
          | {
              attachments?: string[];
              body: string;
              version?: number;
            }
          | components['schemas']['SubmitReportDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SubmissionOutcomeDto'];
        };
      };
    };
  };
  UnitsController_list: {
    parameters: {
      query?: {
        page?: number;
        pageSize?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UnitsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateUnitDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ExportsController_rotate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CalendarFeedDto'];
        };
      };
    };
  };
  ChannelsController_webhooksOf: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ChannelsController_addWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateWebhookDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UsersController_list: {
    parameters: {
      query?: {
        page?: number;
        pageSize?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UsersController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateUserDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UsersController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UsersController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateUserDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UsersController_resetPassword: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UsersController_unlock: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ChannelsController_removeWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ChannelsController_updateWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateWebhookDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ChannelsController_testWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CalendarFeedController_feed: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        file: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
}
