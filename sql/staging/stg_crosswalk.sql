-- How section 二 of the 2021 template lines up with section 二 of the 2019 template: for each 2021 key
-- its 2019 counterpart, and whether a series may run across the change of template. The 2019 keys
-- without a 2021 counterpart are listed too (key_2021 null), so that every section 二 key appears once.
-- comparability: 'comparable' (same column, same meaning), 'rough' (a near counterpart whose meaning
-- differs at the edges: the page draws it across templates with a mark), 'none' (different things or
-- no counterpart: shown only within its own template and listed as not comparable).
with pairs as (
    select * from (
        values
            (
                'rules.new', '规章·本年制发（2019版：本年新制作）', 'rules.issued', 'rules.made', 'rough',
                '2021版“本年制发件数”只计印发的规章；2019版“本年新制作数量”计新制作的规章，口径相近但不尽相同'
            ),
            (
                'rules.repealed', '规章·本年废止', 'rules.repealed', null, 'none',
                '2019版没有“本年废止”一栏'
            ),
            (
                'rules.stock', '规章·现行有效（2019版：对外公开总数量）', 'rules.in_force', 'rules.public_total', 'none',
                '“现行有效件数”是当年仍有效的件数；“对外公开总数量”是历年累计公开的件数，含已废止的'
            ),
            (
                'rules.published', '规章·本年新公开', null, 'rules.published', 'none',
                '2021版没有“本年新公开数量”一栏'
            ),
            (
                'normative_docs.new', '规范性文件·本年制发（2019版：本年新制作）', 'normative_docs.issued',
                'normative_docs.made', 'rough',
                '2021版“本年制发件数”计行政规范性文件；2019版“本年新制作数量”计规范性文件，口径相近但不尽相同'
            ),
            (
                'normative_docs.repealed', '规范性文件·本年废止', 'normative_docs.repealed', null, 'none',
                '2019版没有“本年废止”一栏'
            ),
            (
                'normative_docs.stock', '规范性文件·现行有效（2019版：对外公开总数量）', 'normative_docs.in_force',
                'normative_docs.public_total', 'none',
                '“现行有效件数”是当年仍有效的件数；“对外公开总数量”是历年累计公开的件数，含已废止的'
            ),
            (
                'normative_docs.published', '规范性文件·本年新公开', null, 'normative_docs.published', 'none',
                '2021版没有“本年新公开数量”一栏'
            ),
            (
                'licensing.decisions', '行政许可·处理决定数量', 'licensing.decisions', 'licensing.decisions',
                'comparable', '两版均为“（本年）处理决定数量”'
            ),
            (
                'penalty.decisions', '行政处罚·处理决定数量', 'penalty.decisions', 'penalty.decisions',
                'comparable', '两版均为“（本年）处理决定数量”'
            ),
            (
                'coercion.decisions', '行政强制·处理决定数量', 'coercion.decisions', 'coercion.decisions',
                'comparable', '两版均为“（本年）处理决定数量”'
            ),
            (
                'fees', '行政事业性收费·收费金额（2019版：项目数量）', 'fees.amount_wan_yuan', 'fees.items_prev', 'none',
                '2021版是“本年收费金额（万元）”，2019版是“上一年项目数量”：一个是金额，一个是项目数'
            ),
            ('fees.items_change', '行政事业性收费·本年增/减', null, 'fees.items_change', 'none', '2021版没有项目数量'),
            ('licensing.items_prev', '行政许可·上一年项目数量', null, 'licensing.items_prev', 'none', '2021版没有项目数量'),
            ('licensing.items_change', '行政许可·本年增/减', null, 'licensing.items_change', 'none', '2021版没有项目数量'),
            (
                'other_services.items_prev', '其他对外管理服务事项·上一年项目数量', null, 'other_services.items_prev',
                'none', '2021版没有“其他对外管理服务事项”'
            ),
            (
                'other_services.items_change', '其他对外管理服务事项·本年增/减', null, 'other_services.items_change',
                'none', '2021版没有“其他对外管理服务事项”'
            ),
            (
                'other_services.decisions', '其他对外管理服务事项·处理决定数量', null, 'other_services.decisions',
                'none', '2021版没有“其他对外管理服务事项”'
            ),
            ('penalty.items_prev', '行政处罚·上一年项目数量', null, 'penalty.items_prev', 'none', '2021版没有项目数量'),
            ('penalty.items_change', '行政处罚·本年增/减', null, 'penalty.items_change', 'none', '2021版没有项目数量'),
            ('coercion.items_prev', '行政强制·上一年项目数量', null, 'coercion.items_prev', 'none', '2021版没有项目数量'),
            ('coercion.items_change', '行政强制·本年增/减', null, 'coercion.items_change', 'none', '2021版没有项目数量'),
            ('procurement.items', '政府集中采购·采购项目数量', null, 'procurement.items', 'none', '2021版没有“政府集中采购”'),
            (
                'procurement.amount_wan_yuan', '政府集中采购·采购总金额', null, 'procurement.amount_wan_yuan', 'none',
                '2021版没有“政府集中采购”'
            )
    ) as t (series, series_label, key_2021, key_2019, comparability, note)
),

final as (
    select
        row_number() over () as position,  -- the printed order of the tables, for menus and lists
        *
    from pairs
)

select * from final
