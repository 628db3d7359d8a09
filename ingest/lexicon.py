"""Word lists the rule stages use: ranks, organization heads, surnames, event cues, role verbs.

Facts of the language and of Chinese officialdom, written out by the project as plain word lists (one string
of space-separated words each, so a reader sees at a glance what a rule knows); `ingest.entities` and
`ingest.events` compile them into regexes.
"""

from __future__ import annotations


def _words(block: str) -> tuple[str, ...]:
    return tuple(block.split())


# Ranks and offices that stand before a name (longest first when compiled).
RANKS = _words(
    """
    总书记 国家主席 国家副主席 中央军委主席 中央军委副主席 总理 副总理 国务委员 委员长 副委员长
    秘书长 副秘书长 主席 副主席 书记 副书记 常委 委员 部长 副部长 局长 副局长 厅长 副厅长 司长
    副司长 处长 副处长 科长 主任 副主任 主任委员 副主任委员 省长 副省长 市长 副市长 代市长
    代省长 区长 副区长 代区长 县长 副县长 代县长 镇长 副镇长 乡长 村支书 院长 副院长 检察长
    副检察长 审计长 副审计长 关长 署长 行长 副行长 董事长 副董事长 总经理 副总经理 总裁 总监
    经理 校长 副校长 党委书记 组长 副组长 成员 研究员 教授 专家 首席专家 总工程师 主编 社长
    台长 行政长官 总统 副总统 首相 总督 元首 最高元首 国王 女王 王储 亲王 议长 大使 特使
    特别代表 外长 外交部长 秘书 主席团成员 会长 副会长 理事长 司令员 政委 政治委员 参谋长 队长
    站长 所长 馆长 团长 干事 调研员 党组书记 党组成员 党组副书记 纪委书记 监委主任 市领导 省领导
    县领导 区领导 负责人 代表 领导 院士 夫人 总干事 终身名誉主席 名誉主席 名誉会长 执行主席
    """
)

# Words that end an organization name (a name is text + one of these).
ORG_HEADS = _words(
    """
    人民代表大会常务委员会 常务委员会 全国委员会 委员会 常委会 人民政府 政府 党委 党组 市委 省委
    县委 区委 州委 镇委 党工委 纪委 监委 人大 政协 中心组 办公厅 办公室 部 厅 局 署 办 委
    院 法院 检察院 研究院 研究所 设计院 科学院 工程院 社科院 医院 分院 卫生院 大学 学院 学校
    中学 小学 幼儿园 公司 分公司 子公司 集团 银行 分行 支行 协会 学会 商会 联合会 基金会 联盟
    中心 实验室 海关 总台 电视台 报社 出版社 宣讲团 代表团 考察团 奥委会 组织 兵团 军区 战区
    部队 支队 大队 派出所 公安局 消防救援站 工作组 专家组 工会 团委 妇联 共青团 合作社 工厂 厂
    矿 煤矿 车站 医共体 党支部 支部 管委会 街道办事处 居委会 村委会
    """
)

# Bodies known by a short or context name (they are organizations wherever they stand).
KNOWN_ORGS = _words(
    """
    党中央 中共中央 中央军委 中共中央政治局 中央政治局 中央书记处 中央纪委 国家监委 中央纪委国家监委
    国务院 全国人大 全国人大常委会 全国政协 最高人民法院 最高人民检察院 中央组织部 中央宣传部
    中央统战部 中央政法委 中央网信办 中央外办 中央社会工作部 中国共产党 共青团中央 全国妇联
    全国总工会 中国科学院 中国工程院 中国社会科学院 外交部 国防部 国家发展改革委 国家发展和改革委员会
    教育部 科技部 工业和信息化部 工信部 国家民委 公安部 国家安全部 民政部 司法部 财政部
    人力资源和社会保障部 人社部 自然资源部 生态环境部 住房和城乡建设部 住建部 交通运输部 水利部
    农业农村部 商务部 文化和旅游部 国家卫生健康委 国家卫健委 退役军人事务部 应急管理部 中国人民银行
    审计署 国资委 国务院国资委 海关总署 国家税务总局 国家市场监督管理总局 市场监管总局
    国家金融监督管理总局 中国证监会 国家统计局 国家医保局 国家体育总局 国家移民管理局 新疆生产建设兵团
    中央广播电视总台 总台 国家能源局 国家林草局 国家粮食和物资储备局 国家国际发展合作署 国务院台办
    国务院港澳办 国务院侨办 中国侨联 中国科协 中国残联 中国红十字会 联合国 上海合作组织 世界卫生组织
    世界贸易组织 国际奥委会 欧盟 东盟 非盟 伊斯兰合作组织 二十国集团 中国人民解放军 解放军 武警部队
    中国人民武装警察部队 中非合作论坛 亚太经合组织 国家电网 中国电信 中国移动 中国联通 市委 市政府
    县委 县政府 区委 区政府 省委 省政府 市人大常委会 市政协 市纪委 市监委 市委理论学习中心组
    """
)

# Context abbreviations that resolve against the article's locale (市委 → 永康市委).
CONTEXT_ORGS = _words(
    """
    市委 市政府 县委 县政府 区委 区政府 市人大常委会 市政协 市纪委
    """
)

# Not organizations even though they end like one (collectives, generic mentions, event names).
NOT_ORGS = _words(
    """
    有关部门 相关部门 各部门 职能部门 业务部门 各级党委 党委 政府 人大 政协 中央和国家机关
    国家机关 各地区各部门 各地各部门 试点企业 有关单位 部门 中方 外方 我国 全党 全会 人民政协
    人民法院 人民检察院 代表团 专门委员会 常委会 常务委员会 办公室 委员会 中心组 工作组 专家组
    领导小组 指挥部 调查组 社会组织 经济组织 新经济组织 新社会组织 人民团体 金融机构 市场 全社会
    总部 机构 本部
    """
)

# News sources in datelines: not organization mentions.
NEWS_SOURCES = _words(
    """
    新华社 新华网 央视网 中新网 中新社 人民网 人民日报 光明日报 经济日报 中国新闻网 本报 新闻联播
    央广网 澎湃新闻
    """
)

# Compound surnames.
SURNAMES_2 = _words(
    """
    欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 令狐 司徒 夏侯 端木 独孤 南宫
    申屠 万俟 艾力更
    """
)

# Common single-character surnames — enough to recognise officials' names.
SURNAMES_1 = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂"
    "章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟"
    "艾尤阳穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖"
    "巩佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺仝郜阚花权帅屠豆朴盖禹巴狄芮裘亓修邰赫杭况鲜逯嵇湛茅"
    "呼干冶斯檀昝尧闭訚习赖鄂栗訾仉郦蒯"
)

# Surname characters that are far more often ordinary words (强, 国…): names led by them are
# only accepted right after a title.
SURNAMES_WORDY = (
    "强国海平明时来信全应成计索宣相初门云容敬普都那宿印隆茹诸战慕危玉银亢公哈宾戎勾利於居揭但尉元束衣展阴智幸奉植衡富由区位厉"
    "伊满闻楼盘练廉井祖漆丰支卿晋扈晁阙浦戈伏鹿薄邸雍辜羊阿乌母"
)


# Strings shaped like a surname + given name that are ordinary words or places.
NOT_NAMES = _words(
    """
    高质量 新时代 全面 时代 江山 万家 黄河 长江 常委 周边 安全 金融 金名片 高水平 韩国 朝鲜
    宁夏 江西 江苏 湖南 湖北 广东 广西 福建 海南 云南 贵州 四川 吉林 辽宁 山东 山西 河北
    河南 安徽 浙江 甘肃 青海 西藏 新疆 陕西 北京 天津 上海 重庆 香港 澳门 台湾 马方 中方
    蒙方 伊合 习近 欧盟 华侨 石油 干部 群众 职工 代表 委员 同志 党员 钱包 任务 任何 严格
    严重 连续 高度 高位 高峰 常态 温暖 安排 安心 方面 方式 方向 向前 明显 明确 文明 文化
    于是 于此 和平 和谐 程度 成员 成为 成功 成果 成绩 谢谢 许多 许可 宁静 平安 平台 平等
    尚未 关于 关键 关系 应急 应对 应用 管理 管控 强化 强调 强国 严肃 伍元 万人 万名 万元
    时间 时期 时候 项目 党中央 国务院 曾经 曾任 余名 余人 包括 包头 原党组 原司长 沙特 巴西
    巴黎 柯桥 武汉 武装 邵阳 鲁迅 戴帽 季度 车辆 车站 车上
    """
)

# Endings that look like an organization head but are not (部署, 全局, 展厅, 主办…).
NOT_ORG_TAILS = _words(
    """
    部署 干部 全部 内部 外部 局部 大局 格局 布局 开局 结局 为中心 核心 重心 信心 决心 关心
    中心工作 总部 俱乐部 东部 西部 南部 北部 中部 头部 腹部 胸部 部部 委员 党委党组 基层党组织
    党组织 全局 主办 协办 承办 举办 创办 开办 督办 交办 查办 合办 联办 展厅 大厅 宴会厅 餐厅
    客厅 指挥大厅 新局 政府职能 地方政府 中央政府
    """
)

# Province-level divisions (places, not organizations).
PROVINCES = _words(
    """
    北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北
    湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门
    """
)

# Words that follow a foreign leader's title but are not a name (先生, 宣布…).
NOT_LOOSE = _words(
    """
    先生 女士 阁下 今天 一行 夫人 宣布 提出 表示 高度重视 重视 认为
    """
)


# Event cues: (type, regex alternatives). Order matters: the first matching type of a sentence wins
# unless a more specific cue of another type is in the same sentence (see ingest.events).
EVENT_CUES: tuple[tuple[str, str], ...] = (
    (
        "directive",
        r"作出重要指示|作出指示|作出批示|批示指出|(?<!重要)(?<!作出)指示(?!精神|要求|批示)|回信|致贺信|发来贺信|"
        r"致贺电|发来贺电|致信|复信",
    ),
    ("appointment", r"决定任命|决定免去|任命[^，。]{1,20}为|免去[^，。]{1,24}职务|不再担任|当选为|调任"),
    ("diplomatic", r"会见|会谈|通电话|通话|视频会晤|会晤|接受.{0,10}国书|举行.{0,4}会谈"),
    ("signing", r"签约|签署|签订|签字仪式"),
    ("training", r"培训班|研讨班|专题班|进修班|轮训班|开班|结业|开课"),
    (
        "study_session",
        r"集体学习|理论学习中心组|专题学习|辅导会|专题辅导|辅导报告|宣讲报告|宣讲|学习会|读书班",
    ),
    ("competition", r"比武|比赛|大赛|竞赛|锦标赛|运动会"),
    (
        "ceremony",
        r"开幕式|闭幕式|启动仪式|启动式|招待会|揭牌|颁奖|纪念大会|宣誓仪式|升旗仪式|授勋|授旗|仪式|开工|投产|通车|首发",
    ),
    ("forum", r"论坛|峰会|博览会|交易会|洽谈会|展览会|推介会|年会|大会(?!堂)"),
    (
        "meeting",
        r"常务会议|全体会议|主席会议|委员长会议|座谈会|推进会|工作会议|联组会议|闭幕会|开幕会|专题会议|"
        r"电视电话会议|调度会|部署会|协调会|现场会|汇报会|研讨会|报告会|交流会|恳谈会|会议|召开|闭幕|开幕",
    ),
    (
        "inspection",
        r"(?<!接受)(?:调研|考察|视察|检查|督查|走访|察看)(?!案例|成果|报告|课题|组|员|材料|数据|发现|工作|机构)|"
        r"看望|慰问|赶赴|赶到|检查指导",
    ),
    ("release", r"印发|发布|出台|通报|公布|颁布"),
    (
        "incident",
        r"事故|相撞|火灾|起火|失火|地震|爆炸|坍塌|塌方|中毒|疫情|泄漏|溺水|翻车|侧翻|追尾|洪灾|洪水|"
        r"泥石流|滑坡|台风|遇难|死亡|受伤",
    ),
)

# Role cues that stand right after a participant's name (or before a list of names).
ROLE_CUES: tuple[tuple[str, str], ...] = (
    ("host", r"主持"),
    ("lecturer", r"作辅导|作专题辅导|授课|解读|作宣讲|宣讲|讲解|作报告|作辅导报告"),
    (
        "speaker",
        r"讲话|致辞|作动员|动员|发言|作.{0,6}报告|受.{1,12}委托作|作的关于|汇报|监誓|致欢迎辞|作说明",
    ),
    ("inspector", r"调研|考察|视察|检查|督查|来到|前往|赶赴|赶到|走访|察看|看望"),
    ("attendee", r"出席|参加|列席|到会|观摩"),
    ("participant", r"陪同|参与|会见|会谈|通电话|会晤"),
)
