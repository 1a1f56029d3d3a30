package dev.fasttok.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.html}: the summary for people, one self-contained page (inline CSS and SVG, no
 * scripts, fonts or images from elsewhere), readable offline and printable.
 */
final class HtmlReport {
  private HtmlReport() {}

  static String render(JobSummary s) {
    CorpusStats st = s.stats;
    StringBuilder h = new StringBuilder(32 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>fasttok corpus report: ").append(esc(shortName(s.output))).append("</title>\n<style>\n")
        .append(CSS).append("</style>\n</head>\n<body>\n<main>\n");

    h.append("<header>\n<div class=\"brand\">fasttok <span>corpus report</span></div>\n")
        .append("<h1>").append(esc(String.join(", ", s.inputs))).append(" <span class=\"arrow\">&rarr;</span> ")
        .append(esc(s.outputFormat)).append("</h1>\n<p class=\"sub\">")
        .append(esc(s.encoding)).append(" &middot; ").append(Format.plural(s.inputFiles, "file"))
        .append(" (").append(esc(s.inputFormat))
        .append(s.inputLayout != null ? ", " + esc(layoutText(s)) : "").append(") &middot; finished ")
        .append(esc(s.finished.replace('T', ' ').replaceAll("\\.\\d+Z$", "Z"))).append("</p>\n</header>\n");

    // Key figures.
    h.append("<section class=\"cards\">\n");
    card(h, "Documents", Format.grouped(st.documents), Format.grouped(s.documentsWritten) + " written");
    card(h, "Text", Format.bytes(st.bytes), "UTF-8, " + Format.bytes(s.inputFileBytes) + " of input files");
    card(h, "Tokens", Format.count(st.tokens), s.eos ? "+ " + Format.grouped(s.eosTokens) + " end-of-text" : Format.grouped(st.tokens));
    card(h, "Tokens per byte", String.format(Locale.ROOT, "%.3f", s.tokensPerByte()),
        st.tokens > 0 ? String.format(Locale.ROOT, "%.2f bytes per token", (double) st.bytes / st.tokens) : "");
    card(h, "Tokenization rate", String.format(Locale.ROOT, "%.1f MB/s", s.taskMbPerSecond()),
        "per core, inside the tasks (" + Format.seconds(s.taskSeconds()) + ")");
    card(h, "Wall time", Format.seconds(s.wallSeconds), String.format(Locale.ROOT, "%.1f MB/s, ", s.mbPerSecond())
        + Format.count(s.wallSeconds > 0 ? Math.round(st.tokens / s.wallSeconds) : 0) + " tokens/s overall");
    h.append("</section>\n");

    // Histogram.
    h.append("<section class=\"panel\">\n<h2>Tokens per document</h2>\n<div class=\"histo\">\n");
    h.append(histogram(st));
    h.append("<table class=\"quant\">\n");
    quantRow(h, "documents", Format.grouped(st.tokenized));
    quantRow(h, "min", Format.grouped(st.tokenized > 0 ? st.minTokens : 0));
    quantRow(h, "median", "&asymp; " + Format.grouped(st.quantile(0.5)));
    quantRow(h, "90%", "&asymp; " + Format.grouped(st.quantile(0.9)));
    quantRow(h, "99%", "&asymp; " + Format.grouped(st.quantile(0.99)));
    quantRow(h, "max", Format.grouped(st.maxTokens));
    quantRow(h, "mean", st.tokenized > 0 ? String.format(Locale.ROOT, "%,.1f", (double) st.tokens / st.tokenized) : "0");
    h.append("</table>\n</div>\n<p class=\"note\">Tokens of each document's text (end-of-text token not included),"
        + " documents with at least one token. Logarithmic axis, 8 bins per doubling; the quantiles are read from"
        + " the bins (within 6%).</p>\n</section>\n");

    // Documents.
    h.append("<section class=\"panel\">\n<h2>Documents</h2>\n<table class=\"grid\">\n")
        .append("<tr><th>what</th><th class=\"num\">count</th><th>what happened</th></tr>\n");
    docRow(h, "documents read", st.documents, "");
    docRow(h, "tokenized", st.tokenized, "at least one token; written");
    docRow(h, "ill-formed UTF-8", st.replacedDocuments, "tokenized with U+FFFD in place of each ill-formed sequence"
        + " (or escaped lone surrogate)");
    for (JobSummary.Skip k : s.skipped()) {
      if (k.applies || k.count > 0) docRow(h, k.reason, k.count, k.action);
    }
    h.append("</table>\n</section>\n");

    // Output.
    h.append("<section class=\"panel\">\n<h2>Output</h2>\n<table class=\"kv\">\n");
    kv(h, "directory", "<code>" + esc(s.dataDirectory) + "</code>");
    kv(h, "format", esc(formatText(s)));
    kv(h, "token ids", esc(s.tokenType) + (s.eos ? ", each document ends with " + esc(s.eosToken) + " (" + s.eosId + ")" : ""));
    long outBytes = 0;
    for (JobSummary.OutputFile f : s.files) outBytes += f.bytes;
    kv(h, "files", Format.plural(s.files.size(), "file") + ", " + Format.bytes(outBytes));
    if (s.packLength > 0) kv(h, "packed", esc(TokenizeCorpus.packed(s)));
    for (JobSummary.Part p : s.parts) {
      kv(h, esc(p.name), "<code>" + esc(p.directory) + "</code>: " + Format.plural(p.documentsWritten, "document")
          + ", " + Format.plural(p.tokensWritten, "token"));
    }
    if (!s.parts.isEmpty()) {
      kv(h, "split", "validation fraction " + s.valFraction + ", seed " + s.seed
          + " (by each document's text: equal texts are in the same part)");
    }
    if (!s.droppedFields.isEmpty()) {
      kv(h, "fields not kept", esc(String.join(", ", s.droppedFields)) + " (names that differ only in case, or"
          + " named like the text column or the output's own columns)");
    }
    kv(h, "summary", "<code>" + esc(s.summaryFile) + "</code>");
    h.append("</table>\n");
    if (!s.files.isEmpty()) {
      boolean docs = false;
      boolean toks = false;
      for (JobSummary.OutputFile f : s.files) {
        docs |= f.documents >= 0;
        toks |= f.tokens >= 0;
      }
      h.append("<table class=\"grid files\">\n<tr><th>file</th><th class=\"num\">bytes</th>")
          .append(docs ? "<th class=\"num\">documents</th>" : "").append(toks ? "<th class=\"num\">tokens</th>" : "")
          .append("</tr>\n");
      int shown = Math.min(s.files.size(), 40);
      for (int i = 0; i < shown; i++) {
        JobSummary.OutputFile f = s.files.get(i);
        h.append("<tr><td><code>").append(esc(f.name)).append("</code></td><td class=\"num\">")
            .append(Format.grouped(f.bytes)).append("</td>");
        if (docs) h.append("<td class=\"num\">").append(f.documents >= 0 ? Format.grouped(f.documents) : "").append("</td>");
        if (toks) h.append("<td class=\"num\">").append(f.tokens >= 0 ? Format.grouped(f.tokens) : "").append("</td>");
        h.append("</tr>\n");
      }
      if (shown < s.files.size()) {
        h.append("<tr><td colspan=\"4\" class=\"more\">&hellip; and ").append(s.files.size() - shown)
            .append(" more (all in summary.json)</td></tr>\n");
      }
      h.append("</table>\n");
    }
    h.append("</section>\n");

    // Job.
    h.append("<section class=\"panel\">\n<h2>Job</h2>\n<table class=\"kv\">\n");
    kv(h, "input", esc(String.join(", ", s.inputs)) + " &middot; " + Format.plural(s.inputFiles, "file") + ", "
        + Format.bytes(s.inputFileBytes));
    kv(h, "encoding", esc(s.encoding) + " &middot; " + Format.grouped(s.vocabularySize) + " ids");
    if (s.textColumn != null) kv(h, "text column", "<code>" + esc(s.textColumn) + "</code>");
    kv(h, "Spark", esc(s.sparkVersion) + " &middot; master <code>" + esc(s.sparkMaster) + "</code> &middot; "
        + s.partitions + " partitions &middot; " + esc(s.applicationId));
    kv(h, "time", esc(s.started) + " &rarr; " + esc(s.finished) + " (" + Format.seconds(s.wallSeconds) + ")");
    if (s.fasttokVersion != null) kv(h, "fasttok", esc(s.fasttokVersion));
    h.append("</table>\n</section>\n");

    h.append("<footer>Written by <code>dev.fasttok.corpus.TokenizeCorpus</code>. MB = 10<sup>6</sup> bytes."
        + " The tokenization rate is text bytes over the time inside the tasks, from each task's first row to its"
        + " last (reading, tokenizing, writing), summed over tasks: the rate of one core. The wall time adds"
        + " listing, checks, scheduling and Spark's start-up, which for a few megabytes is most of it.</footer>\n");
    h.append("</main>\n</body>\n</html>\n");
    return h.toString();
  }

  private static String layoutText(JobSummary s) {
    switch (s.inputLayout) {
      case "strings":
        return "a JSON string per line";
      case "objects":
        return "a JSON object per line";
      case "lines":
        return "a document per line";
      case "files":
        return "a document per file";
      default:
        return s.inputLayout;
    }
  }

  private static String formatText(JobSummary s) {
    OutputFormat f = OutputFormat.named(s.outputFormat);
    if (f == OutputFormat.MEGATRON) return "Megatron-LM indexed dataset (.bin/.idx pairs, MMIDIDX version 1)";
    if (f == OutputFormat.NANOGPT) return "llm.c / nanoGPT token shards (256 int32 header)";
    return "Parquet, columns " + String.join(", ", s.columns) + " (tokens ARRAY<INT>, n_tokens INT)";
  }

  private static void card(StringBuilder h, String label, String value, String detail) {
    h.append("<div class=\"card\"><div class=\"label\">").append(esc(label)).append("</div><div class=\"value\">")
        .append(esc(value)).append("</div><div class=\"detail\">").append(esc(detail)).append("</div></div>\n");
  }

  private static void quantRow(StringBuilder h, String label, String value) {
    h.append("<tr><th>").append(label).append("</th><td>").append(value).append("</td></tr>\n");
  }

  private static void docRow(StringBuilder h, String what, long count, String action) {
    h.append("<tr").append(count == 0 && !action.isEmpty() ? " class=\"zero\"" : "").append("><td>").append(esc(what))
        .append("</td><td class=\"num\">").append(Format.grouped(count)).append("</td><td>").append(esc(action))
        .append("</td></tr>\n");
  }

  private static void kv(StringBuilder h, String k, String html) {
    h.append("<tr><th>").append(esc(k)).append("</th><td>").append(html).append("</td></tr>\n");
  }

  // ---- the histogram ----

  static final int W = 720;
  static final int H = 300;
  static final int LEFT = 64;
  static final int RIGHT = 16;
  static final int TOP = 28;
  static final int BOTTOM = 44;

  static String histogram(CorpusStats st) {
    int first = -1;
    int last = -1;
    long maxCount = 0;
    for (int b = 0; b < CorpusStats.BUCKETS; b++) {
      if (st.histogram[b] == 0) continue;
      if (first < 0) first = b;
      last = b;
      maxCount = Math.max(maxCount, st.histogram[b]);
    }
    StringBuilder s = new StringBuilder();
    s.append("<svg class=\"chart\" viewBox=\"0 0 ").append(W).append(' ').append(H)
        .append("\" role=\"img\" aria-label=\"Histogram of tokens per document\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    if (first < 0) {
      s.append("<text x=\"").append(W / 2).append("\" y=\"").append(H / 2)
          .append("\" text-anchor=\"middle\" class=\"empty\">No document has tokens.</text>\n</svg>\n");
      return s.toString();
    }
    double lo = Math.log(CorpusStats.bucketLow(first));
    double hi = Math.log(CorpusStats.bucketHigh(last));
    // Some room on either side, at least a doubling in all.
    double pad = Math.max(0.06 * (hi - lo), (Math.log(2) - (hi - lo)) / 2);
    pad = Math.max(pad, 0.02);
    lo = Math.max(0, lo - pad);
    hi = hi + pad;
    int plotW = W - LEFT - RIGHT;
    int plotH = H - TOP - BOTTOM;
    double yMax = niceCeil(maxCount);

    // Grid and y axis.
    for (double t : ticks(yMax)) {
      double y = TOP + plotH - t / yMax * plotH;
      s.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"")
          .append(f(y)).append("\" y2=\"").append(f(y)).append("\"/>\n");
      s.append("<text class=\"ylab\" x=\"").append(LEFT - 8).append("\" y=\"").append(f(y + 4)).append("\">")
          .append(Format.grouped((long) t)).append("</text>\n");
    }
    // Bars.
    for (int b = first; b <= last; b++) {
      long c = st.histogram[b];
      if (c == 0) continue;
      double x0 = LEFT + (Math.log(CorpusStats.bucketLow(b)) - lo) / (hi - lo) * plotW;
      double x1 = LEFT + (Math.log(CorpusStats.bucketHigh(b)) - lo) / (hi - lo) * plotW;
      double bh = Math.max(1.5, c / yMax * plotH);
      long from = (long) Math.ceil(CorpusStats.bucketLow(b));
      long to = (long) Math.ceil(CorpusStats.bucketHigh(b)) - 1;
      s.append("<rect class=\"bar\" x=\"").append(f(x0 + 0.6)).append("\" y=\"").append(f(TOP + plotH - bh))
          .append("\" width=\"").append(f(Math.max(1, x1 - x0 - 1.2))).append("\" height=\"").append(f(bh))
          .append("\" rx=\"1.5\"><title>").append(Format.grouped(from))
          .append(to > from ? "&ndash;" + Format.grouped(to) : "").append(" tokens: ").append(Format.grouped(c))
          .append(c == 1 ? " document" : " documents").append("</title></rect>\n");
    }
    // X axis: 1, 2, 5 x 10^k.
    s.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"")
        .append(TOP + plotH).append("\" y2=\"").append(TOP + plotH).append("\"/>\n");
    double span = (hi - lo) / Math.log(10);
    for (double p = 1; p < 1e10; p *= 10) {
      for (int m : new int[] {1, 2, 5}) {
        double v = p * m;
        if (m != 1 && span > 2.5) continue;
        double lv = Math.log(v);
        if (lv < lo || lv > hi) continue;
        double x = LEFT + (lv - lo) / (hi - lo) * plotW;
        s.append("<line class=\"tick\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"")
            .append(TOP + plotH).append("\" y2=\"").append(TOP + plotH + 5).append("\"/>\n");
        s.append("<text class=\"xlab\" x=\"").append(f(x)).append("\" y=\"").append(TOP + plotH + 19).append("\">")
            .append(shortCount((long) v)).append("</text>\n");
      }
    }
    s.append("<text class=\"axtitle\" x=\"").append(LEFT + plotW / 2).append("\" y=\"").append(H - 6)
        .append("\">tokens per document (log scale)</text>\n");
    s.append("<text class=\"axtitle\" transform=\"rotate(-90)\" x=\"").append(-(TOP + plotH / 2)).append("\" y=\"14\">")
        .append("documents</text>\n");
    // Median and 99th percentile.
    marker(s, "median", st.quantile(0.5), lo, hi, plotW, plotH, "m50");
    if (st.tokenized >= 20) marker(s, "99%", st.quantile(0.99), lo, hi, plotW, plotH, "m99");
    s.append("</svg>\n");
    return s.toString();
  }

  private static void marker(StringBuilder s, String label, long v, double lo, double hi, int plotW, int plotH,
      String cls) {
    if (v <= 0) return;
    double lv = Math.log(v);
    if (lv < lo || lv > hi) return;
    double x = LEFT + (lv - lo) / (hi - lo) * plotW;
    s.append("<line class=\"marker ").append(cls).append("\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x))
        .append("\" y1=\"").append(TOP - 6).append("\" y2=\"").append(TOP + plotH).append("\"/>\n");
    boolean right = x > LEFT + plotW * 0.8;
    s.append("<text class=\"mlab ").append(cls).append("\" x=\"").append(f(right ? x - 5 : x + 5)).append("\" y=\"")
        .append(TOP - 10).append("\" text-anchor=\"").append(right ? "end" : "start").append("\">").append(label)
        .append(" &asymp; ").append(Format.grouped(v)).append("</text>\n");
  }

  private static String shortCount(long v) {
    if (v >= 1_000_000 && v % 1_000_000 == 0) return v / 1_000_000 + "M";
    if (v >= 1000 && v % 1000 == 0) return v / 1000 + "k";
    return Long.toString(v);
  }

  static double niceCeil(double v) {
    if (v <= 1) return 1;
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (m * p >= v) return m * p;
    }
    return 10 * p;
  }

  static List<Double> ticks(double max) {
    double raw = max / 5;
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = p;
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= raw) {
        step = m * p;
        break;
      }
    }
    step = Math.max(1, Math.round(step));
    List<Double> t = new ArrayList<>();
    for (double v = 0; v <= max + 1e-9; v += step) t.add(v);
    return t;
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String shortName(String path) {
    if (path == null) return "";
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return p.substring(p.lastIndexOf('/') + 1);
  }

  static String esc(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<': b.append("&lt;"); break;
        case '>': b.append("&gt;"); break;
        case '&': b.append("&amp;"); break;
        case '"': b.append("&quot;"); break;
        default: b.append(c);
      }
    }
    return b.toString();
  }

  private static final String CSS = String.join("\n",
      ":root { --ink: #1d2433; --muted: #5d6778; --line: #e3e7ee; --bg: #f5f7fa; --card: #ffffff;",
      "  --accent: #3f5fd1; --accent2: #e0663d; --accent3: #2f9e75; }",
      "* { box-sizing: border-box; }",
      "body { margin: 0; background: var(--bg); color: var(--ink);",
      "  font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; }",
      "main { max-width: 1040px; margin: 0 auto; padding: 32px 28px 48px; }",
      "header { margin-bottom: 22px; }",
      ".brand { font-weight: 700; letter-spacing: .02em; color: var(--accent); font-size: 14px; text-transform: uppercase; }",
      ".brand span { color: var(--muted); font-weight: 500; }",
      "h1 { font-size: 26px; margin: 6px 0 4px; font-weight: 650; word-break: break-all; }",
      "h1 .arrow { color: var(--muted); font-weight: 400; }",
      ".sub { color: var(--muted); margin: 0; }",
      "h2 { font-size: 17px; margin: 0 0 14px; font-weight: 650; }",
      ".cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; margin-bottom: 18px; }",
      ".card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 14px 18px;",
      "  box-shadow: 0 1px 2px rgba(20,30,60,.04); }",
      ".card .label { color: var(--muted); font-size: 12.5px; text-transform: uppercase; letter-spacing: .05em; }",
      ".card .value { font-size: 27px; font-weight: 650; margin: 2px 0; font-variant-numeric: tabular-nums; }",
      ".card .detail { color: var(--muted); font-size: 13px; }",
      ".panel { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 20px 22px;",
      "  margin-bottom: 18px; box-shadow: 0 1px 2px rgba(20,30,60,.04); }",
      ".histo { display: flex; gap: 22px; align-items: flex-start; }",
      ".chart { flex: 1 1 auto; width: 100%; max-width: 760px; height: auto; }",
      ".chart .bar { fill: var(--accent); }",
      ".chart .bar:hover { fill: #2c46a8; }",
      ".chart .grid { stroke: var(--line); stroke-width: 1; }",
      ".chart .axis, .chart .tick { stroke: #9aa3b2; stroke-width: 1; }",
      ".chart text { font: 12px system-ui, sans-serif; fill: var(--muted); }",
      ".chart .ylab { text-anchor: end; font-variant-numeric: tabular-nums; }",
      ".chart .xlab { text-anchor: middle; }",
      ".chart .axtitle { text-anchor: middle; fill: var(--ink); font-size: 12.5px; }",
      ".chart .marker { stroke-width: 1.5; stroke-dasharray: 4 3; }",
      ".chart .m50 { stroke: var(--accent2); fill: var(--accent2); }",
      ".chart .m99 { stroke: var(--accent3); fill: var(--accent3); }",
      ".chart text.mlab { stroke: none; font-weight: 600; }",
      ".chart .empty { font-size: 15px; }",
      ".quant { border-collapse: collapse; min-width: 190px; font-variant-numeric: tabular-nums; white-space: nowrap; }",
      ".quant th { text-align: left; color: var(--muted); font-weight: 500; padding: 4px 14px 4px 0; }",
      ".quant td { text-align: right; padding: 4px 0; font-weight: 600; }",
      ".quant tr + tr { border-top: 1px solid var(--line); }",
      ".note { color: var(--muted); font-size: 13px; margin: 10px 0 0; }",
      "table.grid { border-collapse: collapse; width: 100%; }",
      "table.grid th { text-align: left; font-size: 12.5px; color: var(--muted); font-weight: 600; text-transform: uppercase;",
      "  letter-spacing: .04em; border-bottom: 1px solid var(--line); padding: 6px 10px; }",
      "table.grid td { border-bottom: 1px solid var(--line); padding: 7px 10px; }",
      "table.grid tr:last-child td { border-bottom: none; }",
      "table.grid .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }",
      "table.grid tr.zero td { color: #98a1b0; }",
      "table.files { margin-top: 14px; font-size: 14px; }",
      "td.more { color: var(--muted); font-style: italic; }",
      "table.kv { border-collapse: collapse; width: 100%; }",
      "table.kv th { text-align: left; width: 130px; color: var(--muted); font-weight: 500; padding: 5px 12px 5px 0;",
      "  vertical-align: top; }",
      "table.kv td { padding: 5px 0; word-break: break-all; }",
      "code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eef1f6;",
      "  padding: 1px 5px; border-radius: 4px; }",
      "footer { color: var(--muted); font-size: 12.5px; margin-top: 8px; }",
      "@media (max-width: 800px) { .cards { grid-template-columns: repeat(2, 1fr); } .histo { flex-direction: column; } }",
      "@media print { body { background: #fff; } .card, .panel { box-shadow: none; } }",
      "");
}
