"""Write ``train/data/triage_train.jsonl``: the hand-written training text of the triage issue/request model.

Every sentence frame below was written for this file from ``TAXONOMY.md`` and the known error families (listing
mismatch vs change of mind, faults with a return ask, problems phrased as questions, lost vs not shipped, transport
damage to food, out-of-context keywords, implicit short asks, blunt demands, sarcasm, short thanks). None comes from
the dev set or a holdout. Frames are filled with products of many categories and varied with greetings, typos,
mixed-in English and tone, deterministically (``--seed``), so the file is reproducible:

    .venv/bin/python -m train.triage_corpus            # rewrites train/data/triage_train.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "train" / "data" / "triage_train.jsonl"

# product pools: (name, category)
CLOTHES = ["外套", "卫衣", "连衣裙", "牛仔裤", "衬衫", "T恤", "羽绒服", "毛衣", "风衣", "睡衣", "半身裙", "西装", "打底衫", "冲锋衣"]
SHOES = ["运动鞋", "马丁靴", "拖鞋", "板鞋", "高跟鞋", "跑鞋", "雪地靴", "凉鞋"]
ELEC = ["蓝牙耳机", "充电宝", "平板", "机械键盘", "鼠标", "智能手表", "音箱", "手机", "数据线", "路由器", "显示器", "相机", "游戏手柄", "电纸书"]
APPL = ["电饭煲", "空气炸锅", "吹风机", "电水壶", "洗衣机", "冰箱", "扫地机器人", "加湿器", "微波炉", "电风扇", "取暖器", "豆浆机", "破壁机", "热水器", "电动牙刷", "榨汁机"]
FOOD = ["蛋糕", "车厘子", "芒果", "草莓", "牛排", "坚果礼盒", "月饼", "螺蛳粉", "鲜牛奶", "酸奶", "大闸蟹", "荔枝", "水蜜桃", "面包", "鸡蛋", "海鲜"]
BEAUTY = ["面霜", "口红", "精华液", "面膜", "洗面奶", "防晒霜", "粉底液", "眼霜", "香水", "洗发水", "身体乳", "卸妆油"]
BABY = ["奶瓶", "纸尿裤", "婴儿车", "奶粉", "儿童餐椅", "安抚奶嘴", "宝宝湿巾", "儿童水杯"]
HOME = ["床单四件套", "枕头", "收纳箱", "台灯", "餐具套装", "保温杯", "炒锅", "花瓶", "窗帘", "玻璃杯", "行李箱", "书架", "椅子", "地毯", "茶几"]
OTHERP = ["猫粮", "狗绳", "瑜伽垫", "哑铃", "钓鱼竿", "笔记本", "乐高", "书", "雨伞", "背包", "手链", "墨镜"]
ALL = CLOTHES + SHOES + ELEC + APPL + FOOD + BEAUTY + BABY + HOME + OTHERP
FRAGILE = ["玻璃杯", "花瓶", "餐具套装", "显示器", "鱼缸", "陶瓷碗", "镜子", "台灯", "红酒", "茶具", "手机", "平板"]
COLOURS = ["黑色", "白色", "灰色", "藏青", "米白", "粉色", "卡其色", "墨绿", "红色", "浅蓝"]
SIZES = ["S码", "M码", "L码", "XL", "XXL", "38码", "39码", "40码", "41码", "42码", "160", "165", "170", "175"]
MODELS = ["128G", "256G", "Pro版", "标准版", "Max款", "二代", "三代", "白色款", "升级款", "旗舰款"]
CITIES = ["上海", "成都", "广州", "杭州", "武汉", "郑州", "西安", "沈阳", "昆明", "南宁", "义乌", "天津"]
COURIERS = ["顺丰", "中通", "圆通", "韵达", "申通", "极兔", "京东快递", "邮政", "德邦"]
DAYS_SHORT = ["两天", "三天", "四天", "五天", "一周", "八天", "六天"]
DAYS_LONG = ["十天", "十二天", "半个月", "两个礼拜", "快二十天", "十几天", "11天"]
SIGN = ["显示已签收", "物流显示签收了", "系统说已经送达", "app上写着已签收", "物流信息显示妥投了", "显示本人签收"]

FAULTS = {
    "clothes": ["开线了", "起球特别严重", "洗了一次就掉色", "缩水缩了一大截", "拉链拉不上", "袖口有个破洞", "线头到处都是",
                "穿一天就脱线了", "扣子掉了两颗", "有股刺鼻的味道", "洗完褪色染了别的衣服", "面料起毛起得厉害"],
    "shoes": ["开胶了", "鞋底断了", "穿两次鞋面就裂了", "走路咯吱响", "鞋跟掉了", "内里磨脚出血了", "鞋底脱胶"],
    "elec": ["充不进电", "开不了机", "一边没声音", "连不上蓝牙", "屏幕有坏点", "用了三天就坏了", "自动关机", "电池鼓包了",
             "按键失灵", "经常断连", "发烫得厉害", "屏幕闪屏", "充电口松动接触不良", "死机重启"],
    "appl": ["加热不了", "噪音特别大", "漏水", "通电没反应", "转不起来", "温控坏了一直跳闸", "用了一周就不制冷了", "有焦糊味",
             "按钮按不动", "底座漏水", "启动就报错E3", "出风是凉的"],
    "food": ["发霉了", "有股馊味", "已经变质了", "里面有虫子", "吃着是坏的", "过期了", "肉是臭的", "酸了根本没法吃", "一打开全是霉点"],
    "beauty": ["用完脸刺痛", "有一股酸臭味", "膏体分层了", "用了起痘", "瓶子按压泵坏了按不出来", "质地结块了", "用了脸发红发痒"],
    "baby": ["奶嘴一捏就裂", "有异味", "轮子松了推着晃", "边缘很扎手", "用了屁屁红了一片", "盖子拧不紧漏水"],
    "home": ["有个裂缝", "掉漆了", "螺丝孔对不上", "保温效果很差半小时就凉", "洗了一次就起球", "锅底不平", "拉杆卡住了", "腿是歪的坐着晃"],
    "other": ["一用就断了", "线头开了", "卡扣坏了", "拉链崩了", "味道太大", "做工很粗糙毛刺很多"],
}
SAFETY = {
    "elec": ["充电的时候冒烟了", "漏电把我手电了一下", "充着电突然起火了", "电池发烫鼓包差点着火"],
    "appl": ["用的时候漏电，手被电麻了", "插上电就冒烟还有火花", "外壳烫得把手烫伤了", "用着用着插头烧黑了"],
    "food": ["吃完全家拉肚子", "孩子吃了上吐下泻", "吃了以后肚子疼了一晚上", "发霉了我还吃了两口现在胃难受"],
    "beauty": ["用了以后过敏，脸上起了一片红疹", "抹完脸肿了，过敏很严重", "用了两天皮肤过敏起疙瘩", "涂完嘴唇肿起来了过敏"],
    "baby": ["宝宝用了起红疹", "婴儿用了皮肤过敏", "边角把宝宝手划伤了", "宝宝喝了吐奶还拉肚子"],
}
CAT_OF = {}
for _name, _pool in [("clothes", CLOTHES), ("shoes", SHOES), ("elec", ELEC), ("appl", APPL), ("food", FOOD),
                     ("beauty", BEAUTY), ("baby", BABY), ("home", HOME), ("other", OTHERP)]:
    for _p in _pool:
        CAT_OF[_p] = _name

NAD = {
    "clothes": ["颜色和图片差太多了", "尺码表完全不准，按表买的大了两个码", "详情页写纯棉，标签上是涤纶", "面料跟描述的不一样，摸着像化纤",
                "图片是收腰款，实物是直筒", "宣传说加绒，里面根本没绒", "模特图那么长，实物短一截", "说是羊毛的，烧了一下是化纤"],
    "shoes": ["说是真皮，实际是PU", "尺码偏差跟页面说的不一样，标准码结果小一码", "颜色和图片完全两样", "写的防水，一沾水就湿透"],
    "elec": ["标的续航20小时，实际只有5小时", "感觉不是正品，序列号查不到", "页面说支持快充，实际不支持", "写的原装，拿到是组装机",
             "宣传说降噪，根本没降噪功能", "容量写的20000毫安，测了只有一半", "参数写的4K，实际只有1080P"],
    "appl": ["页面写的5升，实际就3升", "说是静音款，声音比普通的还大", "宣传的功率是2000W，铭牌写1200W", "图上是不锈钢内胆，收到是铝的",
             "说好的带遥控，详情页写着有，实物没这功能"],
    "food": ["写的是5斤，称了才3斤多", "图片上个头很大，实物小得可怜", "说是新鲜现摘，明显放了很久", "宣传是进口的，包装上写国产"],
    "beauty": ["怀疑是假货，跟专柜的味道不一样", "批号查不到，不是正品吧", "颜色跟试色图差很多", "写的50ml，实际就30ml",
               "防伪码扫出来是无效的"],
    "baby": ["说是食品级硅胶，有塑料味", "写的适合0-6个月，其实是大童款", "图片是蓝色，实物是绿色的"],
    "home": ["尺寸写的1.8米，量了只有1.5米", "实物颜色跟图片色差很大", "说是实木，其实是颗粒板", "页面写的304不锈钢，底部印的201"],
    "other": ["跟图片完全不一样", "材质和描述不符", "尺寸比页面标的小很多", "感觉是仿的，不是正品"],
}


def pick(rng: random.Random, xs):
    return xs[rng.randrange(len(xs))]


def digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


class Gen:
    """Collect labelled rows; each frame is a callable returning (text, request, sentiment, entities)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.rows: list[dict] = []
        self.seen: set[str] = set()

    def add(self, text: str, issue: str, request: str, sentiment: str, entities: dict | None = None) -> None:
        text = re.sub(r"\s+", " ", text).strip()
        if text in self.seen:
            return
        self.seen.add(text)
        self.rows.append({"text": text, "issue": issue, "request": request, "sentiment": sentiment,
                          "entities": entities or {}})


# ---------------------------------------------------------------------------------------------- styles
OPEN = ["", "", "", "", "在吗，", "你好，", "亲，", "客服，", "hi ", "hello，", "老板，", "您好，", "喂，", "客服在不在，", "麻烦问下，"]
TYPOS = [("快递", "块递"), ("发货", "发获"), ("质量", "质两"), ("退款", "推款"), ("坏了", "怀了"), ("收到", "收倒"),
         ("怎么", "咋"), ("什么", "啥"), ("没有", "木有"), ("东西", "东东"), ("已经", "已近"), ("谢谢", "xx")]
ENGLISH = [("退款", "refund"), ("退货", "return"), ("换货", "exchange"), ("订单", "order"), ("尺码", "size"),
           ("发货", "ship"), ("尽快", "asap"), ("谢谢", "thx"), ("请", "pls"), ("好的", "ok"), ("质量", "quality")]


def style(rng: random.Random, text: str, sentiment: str, question: bool) -> tuple[str, str]:
    if rng.random() < 0.35:
        text = pick(rng, OPEN) + text
    r = rng.random()
    if r < 0.12:
        a, b = pick(rng, TYPOS)
        text = text.replace(a, b, 1)
    elif r < 0.22:
        a, b = pick(rng, ENGLISH)
        text = text.replace(a, f" {b} ", 1)
    r = rng.random()
    if sentiment == "negative" and r < 0.25:
        text += pick(rng, ["！！", "!!!", "😡", "，服了", "，真无语", "，气死了", "，太差劲了", "😤"])
    elif sentiment != "negative" and r < 0.12 and not question:
        text += pick(rng, ["，谢谢", "，麻烦了", "🙏", "，辛苦"])
    elif r < 0.2:
        text += "?" if question else pick(rng, ["。", "", " ", "~"])
    if rng.random() < 0.1:
        text = text.replace("，", " ")
    return text, sentiment


# ---------------------------------------------------------------------------------------------- frames
def frames_shipping(g: Gen, rng: random.Random) -> None:
    I = "shipping"
    for _ in range(400):
        p, d, c = pick(rng, ALL), pick(rng, DAYS_SHORT), pick(rng, COURIERS)
        opts = [
            (f"{p}拍了{d}了还没发货，什么情况", "info", "negative"),
            (f"我的{p}什么时候发货啊", "info", "neutral"),
            ("发货没", "info", "neutral"),
            (f"下单{d}了，物流一点信息都没有，还没发吗", "info", "negative"),
            (f"我的{p}到哪了", "info", "neutral"),
            ("快递怎么还没到，帮我查下到哪了", "info", "neutral"),
            ("请问我这单发的哪家快递，单号给一下", "info", "neutral"),
            (f"{p}几号能送到？等着用", "info", "neutral"),
            (f"{d}了还在{pick(rng, CITIES)}转运中，走得也太慢了", "info", "negative"),
            ("麻烦催一下发货，急用", "expedite", "neutral"),
            ("能不能今天就发？明天要带走的", "expedite", "neutral"),
            ("can you send it today? 急用", "expedite", "neutral"),
            (f"帮我催催{c}，{d}了还没派送", "expedite", "negative"),
            (f"快点发货行不行，等{d}了", "expedite", "negative"),
            (f"预售说{d}内发，现在都过了还没发", "expedite", "negative"),
            (f"{d}了还不发货，不要了，取消订单吧", "cancel", "negative"),
            ("没发出来就别发了，帮我取消", "cancel", "neutral"),
            ("一直不发货，直接给我退款", "refund_only", "negative"),
            (f"说好48小时发货，{d}了都没动，我要投诉", "complaint", "negative"),
            (f"{c}快递员不送上门，直接扔驿站也不打电话", "none", "negative"),
            ("快递员态度太差了，打电话还骂人", "complaint", "negative"),
            ("派件员说放门口了，能不能让他送上楼", "info", "neutral"),
            (f"物流{d}没动了，到底发没发", "info", "negative"),
            (f"都{d}了物流还是显示已揽收，能不能快点", "expedite", "negative"),
            ("hello 我的order发货了吗", "info", "neutral"),
            ("什么时候能发啊，买的时候说现货", "info", "negative"),
            ("怎么还在仓库没出库", "info", "negative"),
            (f"{p}还没到，今天能送来吗", "info", "neutral"),
            (f"等了{d}了，能不能加急发出", "expedite", "negative"),
            (f"我改个地址，还没发货吧？改成{pick(rng, CITIES)}", "info", "neutral"),
            ("物流显示派送中一整天了，还没送到", "info", "neutral"),
            ("发货了吗 急", "expedite", "neutral"),
            ("亲 这个啥时候发出呀", "info", "neutral"),
            ("八天还没发货，你们到底有没有货", "info", "negative"),
            (f"已经付款{d}了还显示待发货", "info", "negative"),
            ("快递到哪了 人在外地 帮忙让快递晚点送", "info", "neutral"),
            (f"说好的顺丰怎么发了{pick(rng, COURIERS[1:])}，慢死了", "none", "negative"),
            (f"真是谢谢你们了，一个{p}寄了{d}还没到👍", "info", "negative"),
            (f"发货速度真快呢，下单{d}了还没发🙃", "expedite", "negative"),
        ]
        t, req, s = pick(rng, opts)
        t, s = style(rng, t, s, t.endswith(("吗", "？", "?", "呀", "没", "哪了")))
        g.add(t, I, req, s)
    for _ in range(25):
        no = "SF" + digits(rng, 12) if rng.random() < 0.5 else "YT" + digits(rng, 13)
        order = digits(rng, 18)
        opts = [
            (f"运单号{no}，到哪了，怎么还没送", "info", "neutral", {"tracking_no": no}),
            (f"订单号{order}，什么时候发货", "info", "neutral", {"order_no": order}),
            (f"订单{order}麻烦催一下发货", "expedite", "neutral", {"order_no": order}),
            (f"{no} 这个件好几天没更新了，帮忙催下", "expedite", "negative", {"tracking_no": no}),
        ]
        t, req, s, ent = pick(rng, opts)
        g.add(t, I, req, s, ent)


def frames_damaged(g: Gen, rng: random.Random) -> None:
    I = "damaged"
    food_dmg = ["蛋糕到的时候塌了，奶油糊了一盒子", "水果压烂了好几个", "车厘子挤烂了一半，汁水流得到处都是", "鸡蛋碎了一大半",
                "牛奶箱子被压破，漏了好几盒", "芒果磕得全是黑印子，烂了三个", "草莓到手全压成泥了", "月饼盒子压扁了，月饼碎成渣",
                "酸奶盒子破了，漏得整个箱子都是", "荔枝箱被压塌，好多都破皮出水了", "冰袋化了泡沫箱也裂了，海鲜一股味",
                "蛋糕盒子被压变形，蛋糕歪到一边了", "水蜜桃全是磕碰伤，一碰就破"]
    for _ in range(150):
        p = pick(rng, FRAGILE + ELEC + APPL + HOME)
        r = rng.random()
        if r < 0.35:
            desc = pick(rng, food_dmg)
        else:
            desc = pick(rng, [f"快递箱子压扁了，里面的{p}摔碎了", f"收到{p}外箱破了个大洞，{p}磕坏了", f"{p}碎了，快递一路是扔过来的吧",
                              f"外包装破损，{p}边角撞凹了", f"{p}屏幕运输途中压裂了", f"拆开发现{p}摔裂了，箱子也是烂的",
                              f"{p}到的时候就是碎的", f"包裹被压得变形了，{p}也摔坏了", f"快递送来的时候箱子湿透了，{p}泡水了",
                              f"{p}外壳在运输中磕掉了一块", f"收到时{p}盒子都散了，东西摔断了", f"{p}包装太简陋，路上磕碰坏了",
                              "洗发水漏了一箱子，瓶盖被压开了", f"{p}到手玻璃面板裂成蜘蛛网了"])
        ask = pick(rng, [("，给我补发一个", "reship", "neutral"), ("，麻烦重新发一个", "reship", "neutral"),
                         ("，我要退货退款", "return_refund", "negative"), ("，退钱吧", "refund_only", "negative"),
                         ("，烂掉的部分退款吧", "refund_only", "neutral"), ("，给换个新的", "exchange", "neutral"),
                         ("，能赔一点吗", "compensation", "neutral"), ("，怎么处理", "info", "neutral"),
                         ("，这个谁负责？", "info", "negative"), ("", "none", "negative"), ("。拍了照片", "none", "neutral"),
                         ("，你们看着办吧", "none", "negative"), ("，必须赔偿", "compensation", "negative"),
                         ("，我要投诉快递", "complaint", "negative")])
        if desc in food_dmg and ask[1] == "exchange":
            ask = ("，重新寄一份", "reship", "neutral")
        t, s = style(rng, desc + ask[0], ask[2], ask[0].endswith(("？", "理")))
        g.add(t, I, ask[1], s)


def frames_lost(g: Gen, rng: random.Random) -> None:
    I = "lost"
    for _ in range(160):
        sign, dl, p = pick(rng, SIGN), pick(rng, DAYS_LONG), pick(rng, ALL)
        desc = pick(rng, [f"{sign}，但我根本没收到", f"{sign}，可家里没人收过快递", f"{sign}了，快递柜里也没有，东西去哪了",
                          f"{dl}了物流一直没更新，是不是丢了", f"物流停在{pick(rng, CITIES)}{dl}不动了", f"{sign}，问了门卫和邻居都没有",
                          f"我的{p}{sign}，但我人在外地，谁签的？", f"{sign}，驿站说没有这个件", f"快递{dl}没动静了，包裹是不是丢件了",
                          f"{p}{sign}，取件码都没收到", f"东西去哪了？{sign}但家里没有", f"{dl}了物流信息还停在揽收，件是不是没了",
                          "快递员说送到了，但我门口啥也没有", f"物流{dl}没有任何更新，也联系不上快递", f"{sign}，我查了监控没人送过来",
                          f"{pick(rng, COURIERS)}说包裹在转运中遗失了"])
        ask = pick(rng, [("，给我补发", "reship", "negative"), ("，麻烦重新发一份", "reship", "neutral"), ("，补给我", "reship", "neutral"),
                         ("，退款吧", "refund_only", "negative"), ("，直接退钱", "refund_only", "negative"),
                         ("，帮我查一下", "info", "neutral"), ("，麻烦跟快递核实下", "info", "neutral"), ("", "info", "negative"),
                         ("，到底怎么回事？", "info", "negative"), ("，再不处理我投诉了", "complaint", "negative"),
                         ("，快点给个说法", "expedite", "negative"), ("，你们赔不赔", "compensation", "negative")])
        t, s = style(rng, desc + ask[0], ask[2], True)
        g.add(t, I, ask[1], s)
    for _ in range(20):
        no = pick(rng, ["75", "78", "77"]) + digits(rng, 12)
        t = pick(rng, [f"单号{no}显示签收了，我没收到", f"{no}这个件{pick(rng, DAYS_LONG)}没更新了，帮我查下", f"运单{no}签收了但是没见到东西，补发吧"])
        g.add(t, I, "reship" if "补发" in t else "info", "neutral", {"tracking_no": no})


def frames_wrong(g: Gen, rng: random.Random) -> None:
    I = "wrong_item"
    for _ in range(160):
        c1, c2 = rng.sample(COLOURS, 2)
        s1, s2 = rng.sample(SIZES, 2)
        m1, m2 = rng.sample(MODELS, 2)
        p = pick(rng, ALL)
        desc = pick(rng, [f"我买的{c1}，收到的是{c2}", f"下单{s1}，发来的是{s2}", f"型号发错了，我要的是{m1}，给的{m2}",
                          f"{p}发错货了", f"这不是我买的东西，我买的是{p}", f"收到的{p}颜色不对，拍的{c1}来的{c2}",
                          f"拍的{m1}，盒子里是{m2}", f"左右脚两只不一样大，一只{s1}一只{s2}", f"订的{p}，收到一包{pick(rng, ALL)}",
                          f"发错了，{p}口味不是我选的那个", f"给我发成别人的包裹了，里面是{pick(rng, ALL)}", f"{p}尺码发错了",
                          f"wrong size，我要的{s1}", f"款式不对，我选的是{m1}"])
        ask = pick(rng, [("，给我换一下", "exchange", "neutral"), ("，换成我要的", "exchange", "neutral"), ("，怎么换", "exchange", "neutral"),
                         ("，退货吧", "return_refund", "negative"), ("，我要退款退货", "return_refund", "negative"),
                         ("，把对的寄给我", "reship", "neutral"), ("，重新发一个对的", "reship", "neutral"),
                         ("，怎么处理？", "info", "neutral"), ("", "none", "neutral"), ("，你们怎么回事", "none", "negative"),
                         ("，第二次发错了，我要投诉", "complaint", "negative"), ("，运费你们出", "exchange", "negative")])
        t, s = style(rng, desc + ask[0], ask[2], ask[0].endswith("？"))
        g.add(t, I, ask[1], s)


def frames_missing(g: Gen, rng: random.Random) -> None:
    I = "missing_item"
    for _ in range(160):
        p = pick(rng, ALL)
        n = pick(rng, [("三", "两"), ("两", "一"), ("五", "四"), ("四", "三"), ("六", "五")])
        desc = pick(rng, [f"买了{n[0]}件只收到{n[1]}件", f"{p}少发了一个", "赠品没给", "送的那个呢", "说好的赠品呢",
                          f"{p}配件少了充电线", "说明书和螺丝都没有，装不了", "套装少了一样", f"下单{n[0]}盒，箱子里只有{n[1]}盒",
                          "买一送一，送的没收到", f"{p}的充电器没有", "少了个遥控器", "页面写送收纳袋，包裹里没有",
                          f"漏发了一件{p}", f"两个订单合并发的，少了一个{p}", "满赠的小样没收到", "包裹里只有一只耳机",
                          "缺了一块面板，装不起来", "少了两包", "赠品呢？"])
        ask = pick(rng, [("，补给我", "reship", "neutral"), ("，麻烦补发", "reship", "neutral"), ("，给我补上", "reship", "neutral"),
                         ("，快点补发一下", "reship", "negative"), ("，少的退钱", "refund_only", "neutral"),
                         ("，没有的话退差价", "refund_only", "neutral"), ("", "reship" if "呢" in desc else "none", "neutral"),
                         ("，怎么回事？", "info", "negative"), ("，查一下是不是漏了", "info", "neutral"),
                         ("，整单退了吧", "return_refund", "negative")])
        req = ask[1]
        t, s = style(rng, desc + ask[0], ask[2], "呢" in desc or ask[0].endswith("？"))
        g.add(t, I, req, s)


def frames_quality(g: Gen, rng: random.Random) -> None:
    I = "quality"
    for _ in range(300):
        p = pick(rng, ALL)
        cat = CAT_OF[p]
        fault = pick(rng, FAULTS[cat])
        when = pick(rng, ["", "", "刚收到就", "用了两天", "才穿了一次就", "没用几次就", "收到第二天", "买了一个月"])
        desc = pick(rng, [f"{p}{when}{fault}", f"买的{p}{fault}", f"{p}{fault}，才买没多久", f"这个{p}{when}{fault}",
                          f"{p}有问题，{fault}"])
        asks = [("，我要退货", "return_refund", "negative"), ("，退货退款", "return_refund", "negative"),
                ("，申请退货", "return_refund", "neutral"), ("，不想要了，退了吧", "return_refund", "negative"),
                ("，给换一个新的", "exchange", "neutral"), ("，能换吗", "exchange", "neutral"),
                ("，能修吗", "repair", "neutral"), ("，上门修一下", "repair", "neutral"), ("，寄回去维修要多久", "repair", "neutral"),
                ("，退点钱吧，我凑合用", "refund_only", "neutral"), ("，怎么处理？", "info", "neutral"),
                ("，这正常吗？", "info", "neutral"), ("，是不是质量有问题？", "info", "neutral"), ("，还能用吗？", "info", "neutral"),
                ("", "none", "negative"), ("，太失望了", "none", "negative"), ("，什么破东西", "none", "negative"),
                ("，必须赔偿", "compensation", "negative"), ("，我要投诉，给差评", "complaint", "negative"),
                ("，还没发的另一单也给我取消", "cancel", "negative"), ("，赶紧退钱", "return_refund", "negative")]
        if cat == "food":
            asks = [a for a in asks if a[1] not in ("repair", "exchange")] + [("，退款", "refund_only", "negative"),
                                                                             ("，重新发一箱", "reship", "neutral")]
        ask = pick(rng, asks)
        t, s = style(rng, desc + ask[0], ask[2], ask[0].endswith("？"))
        g.add(t, I, ask[1], s)
    # problems phrased as questions
    for _ in range(80):
        p = pick(rng, ALL)
        cat = CAT_OF[p]
        f = pick(rng, FAULTS[cat])
        t = pick(rng, [f"{p}{f}，是不是面料有问题？", f"{p}{f}，这个安全吗", f"为什么{p}{f}？", f"{p}{f}，正常吗",
                       f"{p}{f}是怎么回事", f"是不是我买到次品了？{f}", f"{p}才用一周{f}，质量就这样？",
                       f"这{p}{f}，你们卖的都这样？", f"{f}，这个还能用吗？有没有危险"])
        t, s = style(rng, t, "negative" if rng.random() < 0.5 else "neutral", True)
        g.add(t, I, "info", s)
    # safety
    for _ in range(110):
        cat = pick(rng, list(SAFETY))
        pool = {"elec": ELEC, "appl": APPL, "food": FOOD, "beauty": BEAUTY, "baby": BABY}[cat]
        p = pick(rng, pool)
        h = pick(rng, SAFETY[cat])
        ask = pick(rng, [("，必须给个说法", "compensation", "negative"), ("，退款并赔偿", "compensation", "negative"),
                         ("，我要退货", "return_refund", "negative"), ("，退钱", "refund_only", "negative"),
                         ("，怎么处理", "info", "negative"), ("，这安全吗？", "info", "negative"), ("", "none", "negative"),
                         ("，再不处理就打12315", "complaint", "negative"), ("，要去医院，医药费你们出", "compensation", "negative")])
        t, s = style(rng, f"{p}{h}{ask[0]}", ask[2], ask[0].endswith("？"))
        g.add(t, I, ask[1], s)
    # sarcasm and blunt
    for _ in range(40):
        p = pick(rng, ALL)
        f = pick(rng, FAULTS[CAT_OF[p]])
        t = pick(rng, [f"质量真好呢，{f}🙃", f"{p}真是好东西，{f}👍", f"太棒了，{f}，给你们点赞👍", f"{f}，退钱！", f"{f} 退！",
                       f"{p}{f} 赶紧换", f"{f}，别废话，换新的"])
        req = "return_refund" if "退" in t else ("exchange" if "换" in t else "none")
        g.add(t, I, req, "negative")


def frames_nad(g: Gen, rng: random.Random) -> None:
    I = "not_as_described"
    for _ in range(260):
        p = pick(rng, ALL)
        cat = CAT_OF[p]
        d = pick(rng, NAD[cat])
        desc = pick(rng, [f"{p}{d}", f"收到的{p}，{d}", f"买的{p}{d}", f"{d}", f"这个{p}和页面描述不符，{d}"])
        asks = [("，我要退货", "return_refund", "negative"), ("，退货退款", "return_refund", "negative"),
                ("，申请退货，运费你们出", "return_refund", "negative"), ("，退了吧", "return_refund", "neutral"),
                ("，退点差价", "refund_only", "neutral"), ("，补偿一下吧", "compensation", "neutral"),
                ("，这是正品吗？", "info", "neutral"), ("，怎么解释？", "info", "negative"), ("", "none", "negative"),
                ("，虚假宣传", "none", "negative"), ("，卖假货我要投诉", "complaint", "negative"),
                ("，假一赔十呢？", "compensation", "negative"), ("，给换一个对的", "exchange", "neutral"),
                ("，骗人的吧", "none", "negative")]
        ask = pick(rng, asks)
        t, s = style(rng, desc + ask[0], ask[2], ask[0].endswith("？"))
        g.add(t, I, ask[1], s)
    for _ in range(30):
        p = pick(rng, BEAUTY + ELEC + SHOES)
        t = pick(rng, [f"这个{p}是不是正品？怎么和专柜的不一样", f"{p}不是正品吧，logo都歪的", f"怀疑{p}是高仿", f"这{p}是真的吗，包装印刷很模糊"])
        t, s = style(rng, t, "negative", True)
        g.add(t, I, "info", s)


def frames_changed(g: Gen, rng: random.Random) -> None:
    I = "changed_mind"
    for _ in range(240):
        p = pick(rng, ALL)
        why = pick(rng, ["不想要了", "拍错了", "买多了", "穿着不合适", "尺码小了穿不上", "上身效果不好看", "不喜欢这个颜色",
                         "不是质量问题，就是不太喜欢", "家里已经有一个了", "别家便宜三十块", "老公说不需要", "冲动消费了",
                         "下错单了，地址也填错了", "颜色选错了", "朋友送了一个一样的", "试了一下不太适合我", "太大了我用不上",
                         "东西没问题，就是跟我想的风格不一样", "买重复了", "突然不需要了"])
        ask = pick(rng, [("，退货", "return_refund", "neutral"), ("，能退吗", "return_refund", "neutral"), ("，帮我退了", "return_refund", "neutral"),
                         ("，七天无理由退一下", "return_refund", "neutral"), ("，申请退款", "return_refund", "neutral"),
                         ("，还没发货的话取消订单", "cancel", "neutral"), ("，帮我取消", "cancel", "neutral"), ("，别发了", "cancel", "neutral"),
                         ("，换大一码", "exchange", "neutral"), ("，能换个颜色吗", "exchange", "neutral"),
                         ("，退货运费多少", "return_refund", "neutral"), ("，拒收可以吗", "return_refund", "neutral")])
        if re.search("穿|尺码|上身|大一码", why + ask[0]):
            p = pick(rng, CLOTHES + SHOES)
        desc = pick(rng, [f"{p}{why}", f"买的{p}{why}", f"{why}", f"刚拍的{p}{why}"])
        if ask[1] == "cancel" and "穿" in why:
            ask = ("，退货", "return_refund", "neutral")
        t, s = style(rng, desc + ask[0], ask[2], ask[0].endswith("吗"))
        g.add(t, I, ask[1], s)


def frames_price(g: Gen, rng: random.Random) -> None:
    I = "price"
    for _ in range(200):
        a = rng.choice([20, 30, 50, 80, 100, 150, 200, 12, 45])
        amt = rng.choice([199, 299, 459, 899, 1299, 2599, 3499, 5999, 128, 68])
        opts = [
            (f"昨天买的今天降了{a}块，退差价", "compensation", "neutral", {"amount": a}),
            (f"刚买完就降价{a}，能价保吗", "compensation", "neutral", {"amount": a}),
            ("优惠券下单时没用上，能补吗", "compensation", "neutral", {}),
            (f"满减没算进去，少减了{a}", "compensation", "negative", {"amount": a}),
            (f"一个单扣了我两次钱，多扣了{amt}", "refund_only", "negative", {"amount": amt}),
            (f"付了{amt}，订单显示{amt - a}，多收的退我", "refund_only", "negative", {}),
            (f"说好包邮，怎么收了{a}运费", "refund_only", "negative", {"amount": a}),
            ("运费为什么要我出？", "info", "negative", {}),
            ("说好的会员折扣没给我算，多扣了", "compensation", "negative", {}),
            (f"直播间说的{a}元券领不了", "compensation", "neutral", {}),
            (f"价格比别人买的贵了{a}，能退差价吗", "compensation", "neutral", {"amount": a}),
            ("保价期内降价了，差价怎么申请", "compensation", "neutral", {}),
            ("钱扣了订单却显示未支付", "info", "negative", {}),
            ("重复扣款了，赶紧退回来", "refund_only", "negative", {}),
            (f"这个价格怎么跟页面上显示的不一样，结算多了{a}", "refund_only", "negative", {"amount": a}),
            ("定金付了尾款怎么变贵了", "info", "negative", {}),
            (f"退款金额不对，少退了{a}元", "refund_only", "negative", {"amount": a}),
            (f"补运费链接是干嘛的，为啥还要补{a}", "info", "negative", {"amount": a}),
            (f"双十一价格保护还有效吗，现在便宜了{a}", "compensation", "neutral", {"amount": a}),
            ("积分抵扣没成功，钱全付了", "compensation", "negative", {}),
            ("降价了不给保价我就退货重新买", "compensation", "negative", {}),
        ]
        t, req, s, ent = pick(rng, opts)
        t, s = style(rng, t, s, t.endswith(("吗", "？", "请")))
        g.add(t, I, req, s, ent)


def frames_invoice(g: Gen, rng: random.Random) -> None:
    I = "invoice"
    for _ in range(400):
        t = pick(rng, ["麻烦开一下发票", "能开专票吗", "发票抬头写错了，帮我重开", "电子发票发到我邮箱", "发票什么时候能开好",
                       "要开增值税专用发票，公司报销用", "发票上税号少了一位", "开个普票就行，抬头是个人", "发票没随货寄过来",
                       "怎么申请开票？", "开票信息我发你了，麻烦尽快开", "发票金额开错了，少了运费", "能把发票抬头改成公司吗",
                       "invoice怎么开", "我需要纸质发票", "发票开了吗 等着报销", "税号填错了能作废重开吗", "之前的发票一直没收到",
                       "能开明细发票吗", "开发票需要提供什么"])
        req = "info"
        s = "negative" if rng.random() < 0.08 else "neutral"
        t, s = style(rng, t, s, t.endswith(("吗", "？")))
        if rng.random() < 0.1:
            order = digits(rng, 17)
            g.add(f"订单{order}{t}", I, req, s, {"order_no": order})
        else:
            g.add(t, I, req, s)


def frames_service(g: Gen, rng: random.Random) -> None:
    I = "service"
    for _ in range(220):
        h = pick(rng, ["几个小时", "一整天", "两天", "半天", "三天"])
        desc = pick(rng, [f"客服{h}不回消息", f"问了{h}都没人理", "什么态度，问两句就不耐烦", "客服说话太冲了",
                          "说好今天给我回电话，结果没人理", f"答应给我退款，{h}了还没动静", "机器人一直回复同一句话，找个真人",
                          "客服推来推去，谁都不管", "你们客服直接把我拉黑了？", "每次问都是稍等，然后就没下文了",
                          "承诺的补偿一直没给", "说好给我换货的，现在又不认了", "客服骂人你们管不管", "发了十几条消息一条都不回",
                          "上一个客服答应的事情，换个人就说不知道", "你们的客服是摆设吗", "打电话一直占线没人接",
                          "售后让我等通知，等了一周也没通知", "态度真差，爱答不理的", "说了三遍了还让我重复"])
        ask = pick(rng, [("", "none", "negative"), ("，快回复", "expedite", "negative"), ("，能不能快点处理", "expedite", "negative"),
                         ("，我要投诉", "complaint", "negative"), ("，找你们主管来", "complaint", "negative"),
                         ("，给个说法", "none", "negative"), ("，到底还管不管？", "expedite", "negative"),
                         ("，差评", "complaint", "negative"), ("，太让人失望了", "none", "negative")])
        t, s = style(rng, desc + ask[0], ask[2], ask[0].endswith("？"))
        g.add(t, I, ask[1], s)


def frames_inquiry(g: Gen, rng: random.Random) -> None:
    I = "inquiry"
    for _ in range(320):
        p = pick(rng, ALL)
        city = pick(rng, CITIES)
        t = pick(rng, [f"{p}有现货吗", f"这款{p}怎么用", "身高170体重120穿什么码", f"{p}保修多久", "支持以旧换新吗",
                       f"几天能到{city}", f"发{city}几天能到？", "敏感肌能用吗，怕过敏", "孕妇能用吗", "支持七天无理由吗",
                       "退货运费谁出", f"{p}什么时候补货", f"{p}能开发票吗？", f"这个{p}和上一代有什么区别",
                       "宝宝几个月可以用", f"{p}是什么材质的", "能不能便宜点", "有没有优惠券", "可以货到付款吗",
                       "能指定快递吗", f"{p}有几种颜色", "尺码偏大还是偏小", "充电一次能用多久", "怎么清洗", "保质期多久",
                       "这个能放冰箱吗", "可以以旧换新吗，旧的怎么寄", "能刻字吗", "支持分期吗", "过敏体质能吃吗",
                       f"想给老人买{p}，操作复杂吗", "有没有说明书视频", "售后在哪里修", "保修卡丢了还能保修吗",
                       "退款一般几天到账", "拆封了还能退吗", "能送到村里吗", "用久了会不会掉色", "同款有大一号的吗",
                       f"{p}防水吗", "家里有猫，这个安全吗", "能用在电磁炉上吗", "下单后多久发货？"])
        s = "neutral" if rng.random() < 0.85 else "positive"
        if s == "positive":
            t += pick(rng, ["，谢谢😊", " 谢谢亲", "~谢谢", "，麻烦啦"])
        t, s = style(rng, t, s, True)
        g.add(t, I, "info", s)


def frames_other(g: Gen, rng: random.Random) -> None:
    I = "other"
    pos = ["谢谢", "好的谢谢", "ok thx", "辛苦了", "收到了，很满意", "东西很好用，下次还来", "好评，质量不错", "搞定了，谢谢亲",
           "客服小姐姐态度超好", "物流超快，点赞", "已经收到啦，谢谢", "thanks", "thank you!", "麻烦你了，谢谢", "你们服务真好",
           "衣服很合身，老婆很喜欢", "比想象中的好", "给五星", "回购第三次了", "太感谢了", "好的，辛苦啦", "嗯嗯 谢谢", "ok 谢啦"]
    neu = ["在吗", "在不在", "好的", "嗯", "知道了", "收到", "哦", "ok", "1", "？", "你好", "人呢", "转人工", "发错了，不好意思",
           "加微信领红包，点击链接", "兼职刷单日赚三百", "测试", "早上好", "嗯嗯", "好吧", "晚点再说", "我再想想"]
    for _ in range(700):
        if rng.random() < 0.55:
            t, s = pick(rng, pos), "positive"
            if rng.random() < 0.4:
                t += pick(rng, ["😊", "👍", "!", "～", "❤️", "🌹", ""])
        else:
            t, s = pick(rng, neu), "neutral"
            if rng.random() < 0.3:
                t = pick(rng, OPEN[4:]) + t
        if rng.random() < 0.3:
            t = t + pick(rng, ["", "，", " "]) + pick(rng, pos if s == "positive" else neu)
        g.add(t, I, "none", s)
    # praise that opens like a fault report ("用了几天就…" then something good)
    for _ in range(120):
        p, d = pick(rng, ALL), pick(rng, ["两天", "三天", "一周", "几天", "半个月", "一次"])
        t = pick(rng, [f"{p}用了{d}就爱上了", f"才买{d}就想回购了", f"{p}刚用{d}，已经推荐给朋友了", f"用了{d}就感觉皮肤变好了",
                       f"{p}穿了{d}就舍不得脱", f"才用{d}就成了家里最常用的", f"{p}用了{d}，效果比想象的好", f"买了{d}，天天都在用，真香"])
        g.add(t + pick(rng, ["", "😊", "👍", "，好评", "！"]), I, "none", "positive")


def priority(row: dict) -> str:
    t, issue, req = row["text"], row["issue"], row["request"]
    fault = issue not in ("inquiry", "other", "invoice")
    if re.search(r"12315|消协|工商|律师|起诉|曝光|媒体|微博", t):
        return "p1"
    if issue in ("quality", "damaged") and re.search(
            r"过敏|烫伤|漏电|电了|电麻|起火|着火|冒烟|火花|受伤|划伤|宝宝用|宝宝喝|宝宝手|婴儿用|变质|发霉|霉点|拉肚子|吐|肚子疼|胃|鼓包|医院|红疹|肿", t):
        return "p1"
    amt = row["entities"].get("amount")
    if amt and amt > 2000 and (fault or req not in ("info", "none")):
        return "p1"
    if not fault and req in ("info", "none"):
        return "p3"
    return "p2"


def build(seed: int) -> list[dict]:
    g = Gen(seed)
    rng = g.rng
    for fn in (frames_shipping, frames_damaged, frames_lost, frames_wrong, frames_missing, frames_quality, frames_nad,
               frames_changed, frames_price, frames_invoice, frames_service, frames_inquiry, frames_other):
        fn(g, rng)
    rng.shuffle(g.rows)
    channels = ["wechat", "sms", "douyin", "taobao", "app", "email"]
    out = []
    for i, row in enumerate(g.rows, 1):
        out.append({"id": f"train-{i:04d}", "text": row["text"], "channel": pick(rng, channels), "issue": row["issue"],
                    "request": row["request"], "priority": priority(row), "sentiment": row["sentiment"],
                    "entities": row["entities"]})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    write_rows(build(args.seed), args.out)
    return 0


def write_rows(rows: list[dict], out: Path) -> None:
    """Write labelled rows as JSONL and print the count per issue."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["issue"]] = counts.get(r["issue"], 0) + 1
    print(f"wrote {len(rows)} rows to {out}: {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    raise SystemExit(main())
