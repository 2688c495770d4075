/**
 * The words of 容错细则 that the bot quotes. Kept verbatim (shortened only where marked) so that
 * what a cadre reads in chat is what the notice says.
 */

/** 第五条 申请容错情形 (一)–(十). */
export const SITUATIONS = [
  '在落实开发区、镇街园重要决策、重点工作和重大项目推进中，因大胆履职、高效推进，出现失误或引发矛盾的',
  '在推进改革和体制机制创新中，因缺乏经验、先行先试，出现失误或未达预期效果的',
  '在征地拆迁、招商引资、项目建设、项目审批及民生工程实施中，因促进发展、创造性开展工作或不可预知因素，导致执行政策规定出现偏差、造成损失或未达预期效果的',
  '在按规定程序向上申报政策、项目、资金等工作中，因不可预知因素造成损失或未达预期效果的',
  '在化解重大矛盾、解决历史遗留问题中，因勇于破除阻碍、触及既得利益，出现工作失误或引发严重信访问题的',
  '在承担急难险重任务中，因担当作为、主动揽责涉险，出现失误和偏差的',
  '在处理各类紧急、突发事件中，因突破常规惯例及时应对处置，出现失误和损失的',
  '在服务项目、服务企业、服务群众、服务基层中，为了提高效率，经开发区党工委、管委会同意后进行容缺受理、容缺预审，出现失误或偏差的',
  '在落实管党治党主体责任、从严管理干部中坚持原则、敢抓敢管，出现失误或过错的',
  '其他可容错的情形',
] as const;

export const OTHER_SITUATION = SITUATIONS.length - 1;

export { item } from '../numbering';

/** 第四条 “六看”: the investigation records a finding for each. */
export const SIX_LOOKS = [
  { key: 'nature', title: '看问题性质', question: '是探索创新还是有令不行、有禁不止，是失误错误还是违纪违法？' },
  { key: 'basis', title: '看工作依据', question: '是界限不明还是故意曲解、随意变通，是先行先试还是肆意妄为？' },
  { key: 'motive', title: '看主观动机', question: '是出于公心还是假公济私、以权谋私，是无心之过还是明知故犯？' },
  { key: 'process', title: '看决策过程', question: '是民主决策还是个人专断、一意孤行，是依规履职还是滥用权力？' },
  { key: 'orientation', title: '看履职取向', question: '是开拓进取还是无视规律、急功近利，是积极作为还是好大喜功？' },
  { key: 'attitude', title: '看纠错态度', question: '是及时补救还是消极应对、放任损失，是主动纠错还是坐视不管？' },
] as const;

/** 第七条 容错激励: the four ways an exemption applies, alone or combined. */
export const EXEMPTIONS = [
  '在党风廉政建设责任制考核中免予扣分，免予一票否决',
  '在干部提拔任用和评先评优“党风廉洁意见”评价时，不作负面评价',
  '在开发区一体化绩效考核中免予或减少扣分',
  '需追究党纪政纪责任的，可免于或从轻、减轻处分',
] as const;

/** 第十条 工作纪律: why a granted exemption is revoked and accountability restarted. */
export const REVOCATION_REASONS = [
  '申请免责材料弄虚作假、欺骗组织的',
  '调查核实中故意隐瞒，不如实说明情况的',
  '从中谋取私利的',
  '存在其他严重违纪违法行为的',
] as const;
