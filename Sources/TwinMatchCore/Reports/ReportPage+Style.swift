extension ReportPage {
    /// The page's stylesheet: system fonts only, one column up to 1,080 px; under 700 px the shortlist
    /// folds into one block per candidate; printing keeps the colours of bars and map. (No `<` or `&` in
    /// it, so the page stays well-formed XML.)
    public static let css = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; background: #fff; }
    main { max-width: 1080px; margin: 0 auto; padding: 24px 20px 40px; }
    h1 { font-size: 1.8em; margin: 0 0 2px; line-height: 1.2; }
    h2 { font-size: 1.2em; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d8dee4; }
    .subtitle { color: #4b5563; margin: 0 0 14px; font-size: 1.05em; }
    h2.facts-heading { font-size: 1em; border: 0; margin: 10px 0 4px; padding: 0; color: #4b5563; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0; }
    dl.facts dt { color: #4b5563; }
    dl.facts dd { margin: 0; }
    section { margin-top: 26px; }
    p { margin: 0 0 8px; }
    .note, .also, figcaption { color: #4b5563; font-size: 0.88em; }
    .also b { color: #1f2328; font-weight: 600; }
    .notice { padding: 10px 12px; background: #fff7e0; border-left: 4px solid #d08a2e; }
    figure { margin: 0; }
    figcaption { margin-top: 6px; }
    .legend { margin-right: 6px; }
    .legend .item { white-space: nowrap; }
    .key { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 10px; vertical-align: -1px; border: 1px solid #8a8378; }
    .item:first-child .key { margin-left: 0; }
    .key.square { background: #c0392b; border-color: #c0392b; }
    .key.circle { background: #2f62a8; border-color: #2f62a8; border-radius: 50%; }
    .key.home { background: #f3d39c; }
    .key.candidate-country { background: #cfe3c0; }
    svg.map { display: block; width: 100%; height: auto; border: 1px solid #c9d6e3; border-radius: 4px; }
    .map .sea { fill: #e3edf6; }
    .map .country { fill: #f4f1ea; stroke: #a19a8e; stroke-width: 0.7; stroke-linejoin: round; fill-rule: evenodd; }
    .map .country.home { fill: #f3d39c; }
    .map .country.candidate-country { fill: #cfe3c0; }
    .map .country:hover { fill: #e6dcc8; }
    .map .link { stroke: #2f62a8; stroke-width: 1.3; stroke-opacity: 0.5; }
    .map .candidate circle { fill: #2f62a8; stroke: #fff; stroke-width: 1.5; }
    .map .candidate circle.spot { fill: #1f2328; stroke: none; }
    .map .leader { stroke: #1f2328; stroke-width: 1; }
    .map .candidate text { fill: #fff; font-size: 12px; font-weight: 700; text-anchor: middle; }
    .map .query rect { fill: #c0392b; stroke: #fff; stroke-width: 2; }
    .map .query text { fill: #1f2328; font-size: 16px; font-weight: 700; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
    .table-wrap { overflow-x: auto; }
    table { width: 100%; border-collapse: collapse; }
    caption { text-align: left; color: #4b5563; font-size: 0.88em; padding-bottom: 4px; }
    th, td { text-align: left; vertical-align: top; padding: 9px 8px; border-bottom: 1px solid #e5e7eb; }
    th { font-size: 0.85em; font-weight: 600; color: #4b5563; border-bottom: 2px solid #cbd2d9; }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    .shortlist .rank { font-weight: 700; font-size: 1.15em; width: 2.2em; }
    .shortlist .place { width: 13em; }
    .shortlist .place strong { display: block; font-size: 1.08em; }
    .shortlist .place span { display: block; color: #4b5563; font-size: 0.9em; }
    .shortlist .score { width: 5em; }
    .score-value { display: block; font-size: 1.6em; font-weight: 700; line-height: 1.1; }
    .meter { display: block; width: 4em; height: 6px; margin: 4px 0 0 auto; background: #e5e7eb; border-radius: 3px; }
    .meter span { display: block; height: 100%; background: #1f2328; border-radius: 3px; }
    ul.reasons { list-style: none; margin: 0; padding: 0; }
    ul.reasons li { display: grid; grid-template-columns: 11.5em 1fr 2.8em; column-gap: 8px; align-items: center; margin: 0 0 7px; }
    .reason { font-weight: 600; font-size: 0.92em; }
    .bar { display: block; height: 12px; background: #eef0f2; border-radius: 2px; }
    .bar span { display: block; height: 100%; min-width: 3px; border-radius: 2px; background: #6b7280; }
    .points { text-align: right; font-weight: 700; font-variant-numeric: tabular-nums; }
    .facts-text { grid-column: 1 / -1; color: #374151; font-size: 0.88em; }
    .f-partnership_network { background: #2f62a8 !important; }
    .f-size { background: #5b9a3a !important; }
    .f-distance { background: #8461b0 !important; }
    .f-country_ties { background: #d08a2e !important; }
    .f-renown { background: #c04f7d !important; }
    .f-themes_networks { background: #23968a !important; }
    .f-migration { background: #a9553b !important; }
    .f-languages { background: #7b7d2e !important; }
    .f-same_name { background: #7a7a7a !important; }
    .f-interests { background: #c9a100 !important; }
    .bar span.negative { background: #c0392b !important; }
    footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid #d8dee4; color: #4b5563; font-size: 0.85em; }
    footer h2 { font-size: 1em; border: 0; margin: 8px 0 4px; padding: 0; }
    .credits { margin: 0; padding-left: 18px; }
    @media (max-width: 700px) {
      body { font-size: 14px; }
      main { padding: 14px 12px 28px; }
      dl.facts { grid-template-columns: 1fr; }
      dl.facts dd { margin-bottom: 4px; }
      table.shortlist, table.shortlist tbody, table.shortlist tr, table.shortlist td { display: block; width: 100%; }
      table.shortlist thead { display: none; }
      table.shortlist tr { padding: 10px 0; border-bottom: 2px solid #cbd2d9; }
      table.shortlist td { border: 0; padding: 2px 0; text-align: left; }
      table.shortlist td.rank, table.shortlist td.place, table.shortlist td.score { display: inline-block; width: auto; vertical-align: top; margin-right: 14px; }
      table.shortlist td.reasons { margin-top: 6px; }
      .shortlist .rank::before { content: "#"; }
      .meter { margin: 4px 0 0; }
      ul.reasons li { grid-template-columns: 8.5em 1fr 2.6em; }
    }
    @media print {
      body { font-size: 10.5pt; }
      main { max-width: none; padding: 0; }
      * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      tr, li, figure { break-inside: avoid; }
      .table-wrap { overflow: visible; }
    }
    """
}
