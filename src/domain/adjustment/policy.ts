/**
 * 能上能下办法 as the bot quotes it: the articles an adjustment can be opened under (第七–十一条,
 * items verbatim), the ways of 第五条 and the influence periods of 第十三条.
 */

const NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/** 1–19 in Chinese numerals: 十一 for 11. */
export const cn = (n: number): string => (n <= 10 ? NUMERALS[n] : `十${NUMERALS[n - 10]}`);

export type CauseArticle = 7 | 8 | 9 | 10 | 11;

interface Article {
  /** The article's own words on what follows: 应予以调整, 建议上级调整或予以调整. */
  handling: string;
  items: readonly string[];
  /** 第八条 is the one whose items follow from 考核 data; the others are judgements. */
  fromData?: boolean;
}

export const ARTICLES: Record<CauseArticle, Article> = {
  7: {
    handling: '经组织认定不适宜担任现职的，应予以调整',
    items: [
      '对党不忠诚不老实，“四个意识”淡薄，维护习近平总书记的核心地位、维护以习近平总书记为核心的党中央权威和集中统一领导不坚决的',
      '理想信念动摇，思想滑坡，“四个自信”不坚定的',
      '贯彻执行党的路线方针政策和决策部署不坚决不全面不到位，搞“上有政策、下有对策”，合意的就执行，不合意的就不执行、选择性执行的',
      '缺乏政治敏锐性和政治鉴别力，对挑战政治底线的错误言论和不良风气听之任之、失职失责的',
      '无视党的政治纪律和政治规矩，违反“五个必须”要求、搞“七个有之”等活动的',
    ],
  },
  8: {
    handling: '经组织认定不适宜担任现职的，根据干部管理权限建议上级调整或予以调整',
    fromData: true,
    items: [
      '在江阴市年度考核中，连续2年被确定为第四等次单位的党政主要负责人，建议上级调整',
      '在临港开发区一体化绩效考核中，单位或条线工作连续2年最后一名的，建议上级调整',
      '在干部年度考核中，民主测评的不称职得票率超过三分之一的，建议上级调整或予以调整',
      '在干部年度考核中，年度考核结果为不称职等次，或连续2年为基本称职等次的，建议上级调整或予以调整',
      '在试用期满考核中，不同意试用期满转正票达三分之一或问题较多，经组织认定不胜任岗位的，免去试任职务，一般按照试任前职级或者职务层次安排工作',
      '对特设岗位干部和企业性质干部实施聘任制，在聘任期满考核中，不同意继续聘任票达三分之一或问题较多，经组织认定不适宜继续聘任的，解除聘任职务',
      '推动政企分离，对实体化运作的国资公司干部实施聘任制，在聘任期满考核不合格的，解除聘任职务（具体任职管理和考核由各国资公司负责）',
      '机关企业性质人员每有1个年度考核为基本合格等次及以下的，晋升年限条件延长1年；年度考核连续2年不合格的，按照相关法律法规予以解聘',
      '所在村（社区）连续2年在镇街考核中最后一名的村（社区）书记，调整出村（社区）书记岗位',
    ],
  },
  9: {
    handling: '经组织认定不适宜担任现职的，根据干部管理权限，分别建议上级调整或予以调整',
    items: [
      '推进本地区本单位本条线重大改革、重点任务不力，导致贻误工作、错失发展良机的',
      '防范化解重大风险不力，导致本地区本单位本条线违规盲目举债问题严重，或新发生系统性区域性金融风险事件，造成恶劣影响的',
      '脱贫攻坚工作不力，导致本地区本单位本条线精准扶贫精准脱贫目标任务未按时完成，虚报脱贫成效、贪占挪用扶贫资金等问题突出、群众反映强烈的',
      '生态环境保护不力，导致本地区本单位本条线生态资源问题突出，环境明显恶化，或发生重大环境事件，受到党中央、国务院批评或省委省政府、无锡市委市政府、江阴市委市政府、临港开发区党工委管委会通报批评的',
      '履行安全生产责任不力，导致本地区本单位本条线发生重大安全生产责任事故，或造成严重影响的安全生产责任事故的',
      '预防和化解社会矛盾不力，导致本地区本单位本条线连续两年发生特别重大群体性事件和公共安全事件，或一年内发生多起重大群体性事件和公共安全事件的',
      '其他不担当不作为问题造成严重后果或恶劣影响的',
    ],
  },
  10: {
    handling: '经组织认定不适宜担任现职的，应予以调整',
    items: [
      '抓政治建设不力，本地区本单位本条线忽视政治、淡化政治、削弱政治的现象比较突出的',
      '党（工）委、党（总）支部领导和把关作用发挥不力，出现严重用人失察失误，造成恶劣影响，或选人用人问题突出，不正之风严重，党内和群众反映强烈，或维护组织人事纪律不力，连续发生或大面积发生违纪用人问题的',
      '管辖范围内意识形态方面出现严重错误导向，造成恶劣影响的',
      '推进党风廉政建设和反腐败工作不坚决、不扎实，损害群众利益的不正之风和腐败问题比较突出的',
      '其他履行全面从严治党责任不力、问题突出，或巡视巡察反馈意见整改不到位，经组织提醒、教育或函询、诫勉没有改正的',
    ],
  },
  11: {
    handling: '经组织认定后，也可以建议或予以组织调整',
    items: [],
  },
};

/** The article of a case opened by hand: 第十一条 has no items of its own. */
export const ARTICLE_11_TEXT = '干部的领导能力、专业素养不适应、不胜任岗位要求或存在其他不适宜担任现职情形的';

/** 第八条（三）, 第十一条: how a cause is cited. */
export function causeLabel(article: CauseArticle, item: number | null): string {
  return `第${cn(article)}条${item ? `（${cn(item)}）` : ''}`;
}

/** The cause with the article's words: 《能上能下办法》第八条（三）：在干部年度考核中…… */
export function causeText(article: CauseArticle, item: number | null): string {
  const words = item ? ARTICLES[article].items[item - 1] : ARTICLE_11_TEXT;
  return `《能上能下办法》${causeLabel(article, item)}：${words}`;
}

/** 第五条: the ways of adjustment it names, and those the items of 第八条 prescribe themselves. */
export const WAYS = ['调离岗位', '免职', '引咎辞职', '责令辞职', '降职', '免去试任职务', '解除聘任职务', '解聘'] as const;
export type Way = (typeof WAYS)[number];

/** 第五条, second sentence: what is handled under other rules. */
export const CARVE_OUTS = { health: '因健康原因调整', accountability: '涉及问责追责', discipline: '涉及违纪违法' } as const;
export type CarveOut = keyof typeof CARVE_OUTS;
export const CARVE_OUT_TEXT = '对因健康原因调整以及涉及问责追责和违纪违法的，按照有关规定办理';

/** 第十三条: what each way weighs on a cadre adjusted 因不适宜担任现职, and for how long. */
export const INFLUENCE: Partial<Record<Way, { years: number; effect: string }>> = {
  调离岗位: { years: 1, effect: '一年内不得提拔' },
  免职: { years: 1, effect: '一年内不得提拔' },
  引咎辞职: { years: 2, effect: '两年内不得担任高于原职务层次的职务' },
  责令辞职: { years: 2, effect: '两年内不得担任高于原职务层次的职务' },
  降职: { years: 2, effect: '两年内不得提拔或推荐提拔' },
};
export const EARLY_RETIREMENT_TEXT = '因个人原因（非身体原因）申请提前退休的，退休后不再享受原职务层次相应待遇';
/** The sentence a decision that records a 提前退休 carries, wherever it is shown. */
export const EARLY_RETIREMENT_NOTE = `本人因个人原因（非身体原因）申请提前退休：《能上能下办法》第十三条：“${EARLY_RETIREMENT_TEXT}”。`;

/** 第十五条, whole. */
export const REAPPOINTMENT_TEXT = '被组织调整的干部在影响期满后，党组织对德才表现和工作实绩突出，因工作需要且经考察符合任职条件的，可按有关规定重新任用或者提拔任职';
