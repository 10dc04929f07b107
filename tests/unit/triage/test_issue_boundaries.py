"""Issue, priority and entity boundaries found on fresh holdout text (session 2 families)."""

from __future__ import annotations

import pytest

from chalicelib.triage import classify


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("预售写15号发，今天18号了还没动静", "shipping"),            # a date, not days without an update
        ("快递单号查了，物流八天没更新了", "lost"),
        ("一般下单后几天能到成都？", "inquiry"),
        ("周末发货吗", "inquiry"),
        ("do you ship to Macau?", "inquiry"),
        ("收到了，想问下这个音箱怎么连蓝牙", "inquiry"),            # 收到 opens a question, it is no thank-you
        ("收到两只都是右脚的，咋穿", "wrong_item"),
        ("备注了发顺丰，结果发了个邮政", "shipping"),
        ("我那单发了木有", "shipping"),
        ("再吗", "other"),
        ("不好意思发错群了，不是发给你的", "other"),
        ("按你们的尺码表选的M，小了一圈，尺码表是不是有问题", "not_as_described"),
        ("防伪码扫了显示查询次数过多，是正品吗", "not_as_described"),
        ("看错容量了，是我自己的问题，能退吗", "changed_mind"),
        ("分期不是说免息吗，怎么收了利息", "price"),
        ("客服说三天内给答复，今天第五天了", "service"),
        ("满两百送的杯子，没送，也没人说一声", "missing_item"),
        ("盘子路上磕裂了一个", "damaged"),
        ("规格下错了，还没发的话帮我撤了", "changed_mind"),        # the customer's own mistake, not the listing's
        ("衣服买大了，退货运费谁出？", "changed_mind"),            # a stated change of mind beats the policy question
        ("昨天上头买的，冷静了想退", "changed_mind"),
        ("包裹到了分拨中心就不走了，咋回事", "shipping"),
        ("快递单上收件人名字都不对，是不是别人的", "wrong_item"),
        ("点的麻辣味，收到全是原味的", "wrong_item"),
        ("柜子里也找不到，显示送到丰巢了", "lost"),
        ("矿泉水压爆了两瓶", "damaged"),
        ("售后说退款两天到账，现在五天了钱还没到", "service"),
        ("图片上是墨绿色，到手是灰色", "not_as_described"),
        ("颜色差别也太大了吧，跟专柜的不一样", "not_as_described"),
        ("价保申请为什么被驳回了", "price"),
        ("这台洗碗机噪音大吗", "inquiry"),
        ("电票在哪里下载", "invoice"),
        ("电饭煲煮出来一股塑料味", "quality"),
        ("不是说包邮吗 怎么还收了运费", "price"),                 # a rhetorical 吗 is a complaint, not a policy question
        ("猫砂袋子破了 撒了半箱", "damaged"),
        ("吸奶器没有充电线 根本用不了", "missing_item"),
        ("耳钉盒子里就一只 另一只呢", "missing_item"),
        ("到底发不发？？？马上是多久", "shipping"),
        ("两只鞋一只37一只38", "wrong_item"),
        ("包裹里是一件男士外套 我买的是女款毛衣", "wrong_item"),
        ("买的1段奶粉 发的3段", "wrong_item"),
        ("蜡烛点两次就灭", "quality"),
        ("这个味道不是我喜欢的 太甜了 退", "changed_mind"),
        ("无理由退货不给退 说拆封了不行", "changed_mind"),
        ("这是正品吗 味道跟专柜的完全不一样", "not_as_described"),
        ("模特图是长款 到我手里才到腰", "not_as_described"),
        ("孩子平时穿100的 你家买多大", "inquiry"),
        ("黄金以后能回收吗", "inquiry"),
        ("今天再不给我回复 我就去消协", "service"),
        ("派送中一整天了 在家等着没人来", "shipping"),
        ("快递非说放门口了 监控也没拍到", "lost"),
        ("单号已经9天没有任何轨迹", "lost"),
        ("中转站停了9天了，一点动静都没有", "lost"),
        ("签收人不是我 我压根没拿到货", "lost"),
        ("物流显示已签收，但本人从未收到", "lost"),
        ("你们说给我补发，到现在也没动静", "service"),
        ("来信咨询多日，至今未获任何答复", "service"),
        ("鱼缸到货一侧玻璃裂了", "damaged"),
        ("The box arrived crushed and the vase is cracked", "damaged"),
        ("包装就一层塑料袋 东西摔坏了", "damaged"),
        ("扫地机器人原地转圈圈", "quality"),
        ("耳机右边没声", "quality"),
        ("锅底有一道划痕，拆开就有", "quality"),
        ("付款扣了两笔 订单只有一个", "price"),
        ("双十一前买的，现在便宜了两百，你们不是有价保吗", "price"),
        ("下单选的M 吊牌是XL", "wrong_item"),
        ("和视频里完全不是一个东西", "not_as_described"),
        ("女儿说买重了，给个退货地址", "changed_mind"),
        ("无理由退货的七天是按签收日算吗", "inquiry"),
        ("最近有活动吗", "inquiry"),
        ("我的乐高到哪儿啦", "shipping"),
        ("发个货咋这么难", "shipping"),
    ],
)
def test_issue_boundaries(text: str, issue: str) -> None:
    t = classify(text)
    assert t.issue == issue, t.reasons


@pytest.mark.parametrize(
    "text",
    [
        "电暖器用着用着冒了点烟，吓死了，退货",
        "积木里有小零件掉出来，孩子才两岁差点放嘴里",
        "充电宝烫得握不住，不敢用了",
        "儿童安全座椅卡扣扣不上，退货",
        "已经问了一个礼拜了！！到底什么时候发？？",
        "烤箱外壳裂了，电线都露出来了，家里有小孩",
        "面包里吃出头发了，恶心",
        "椅子腿突然弯了，我差点摔了",
        "镜子碎了 拆的时候手被划了个口子",
        "药是给老人救命用的！三天了还没发货",
        "被子有股霉味，孩子盖了一晚咳个不停",
        "电热毯一插就跳闸",
        "催了八百遍了 到底发不发",
    ],
)
def test_p1(text: str) -> None:
    assert classify(text).priority == "p1", classify(text).reasons


@pytest.mark.parametrize("text", ["显示被人代签了，我没收到，我手机13912345678", "按摩椅还没到，我不会看手机上的物流"])
def test_a_phone_number_is_not_a_lost_phone(text: str) -> None:
    assert classify(text).priority == "p2", classify(text).reasons


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("JD20261109887123 这单冰箱什么时候送", {"order_no": "JD20261109887123"}),
        ("京东快递单号JD0012345678901", {"tracking_no": "JD0012345678901"}),
        ("到手只有128G，给我换成256的", {}),
    ],
)
def test_entities(text: str, entities: dict) -> None:
    assert classify(text).entities == entities
