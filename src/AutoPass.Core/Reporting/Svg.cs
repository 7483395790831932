using System.Globalization;
using System.Text;

namespace AutoPass.Core.Reporting;

/// <summary>A linear map from data to pixels, with round tick values (1, 2 or 5 times a power of ten).</summary>
internal sealed record LinearScale(double Low, double High, double From, double To)
{
    public double Map(double value) => From + (Math.Clamp(value, Low, High) - Low) / (High - Low) * (To - From);

    public bool Contains(double value) => value >= Low && value <= High;

    /// <summary>A scale over [low, high] widened to round ticks, about <paramref name="ticks"/> of them.</summary>
    public static LinearScale Nice(double low, double high, double from, double to, int ticks = 6)
    {
        if (!(high > low)) (low, high) = (low - 0.05 * Math.Max(1, Math.Abs(low)), high + 0.05 * Math.Max(1, Math.Abs(high)));
        double step = Step(low, high, ticks);
        return new LinearScale(Math.Floor(low / step) * step, Math.Ceiling(high / step) * step, from, to);
    }

    public IReadOnlyList<double> Ticks(int ticks = 6)
    {
        double step = Step(Low, High, ticks);
        var values = new List<double>();
        for (double v = Math.Ceiling(Low / step - 1e-9) * step; v <= High + step * 1e-9; v += step)
        {
            double tick = Math.Round(v / step) * step;
            values.Add(Math.Abs(tick) < step * 1e-9 ? 0 : tick); // no "-0" label
        }
        return values;
    }

    /// <summary>Decimals that tell the ticks apart.</summary>
    public string TickFormat(int ticks = 6)
    {
        double step = Step(Low, High, ticks);
        int decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
        return decimals == 0 ? "0" : "0." + new string('0', decimals);
    }

    private static double Step(double low, double high, int ticks)
    {
        double raw = (high - low) / Math.Max(1, ticks);
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double unit = raw / power;
        return power * (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10);
    }
}

/// <summary>Writes inline SVG: numbers in invariant culture, text escaped, classes on what tests and styles look for.</summary>
internal sealed class SvgWriter
{
    private readonly StringBuilder _svg = new();

    public SvgWriter(double width, double height, string cssClass, string title)
    {
        _svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{cssClass}\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0} {height:0}\" role=\"img\">"));
        _svg.Append("<title>").Append(Encode(title)).Append("</title>");
    }

    public SvgWriter Line(double x1, double y1, double x2, double y2, string cssClass) =>
        Raw(F($"<line class=\"{cssClass}\" x1=\"{x1:0.#}\" y1=\"{y1:0.#}\" x2=\"{x2:0.#}\" y2=\"{y2:0.#}\"/>"));

    public SvgWriter Rect(double x, double y, double width, double height, string cssClass, string? tooltip = null) =>
        Raw(F($"<rect class=\"{cssClass}\" x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{Math.Max(0.5, width):0.#}\" height=\"{height:0.#}\">") + Tooltip(tooltip) + "</rect>");

    public SvgWriter Circle(double cx, double cy, double r, string cssClass, string? tooltip = null) =>
        Raw(F($"<circle class=\"{cssClass}\" cx=\"{cx:0.#}\" cy=\"{cy:0.#}\" r=\"{r:0.#}\">") + Tooltip(tooltip) + "</circle>");

    public SvgWriter Polyline(IEnumerable<(double X, double Y)> points, string cssClass) =>
        Raw($"<polyline class=\"{cssClass}\" points=\"{string.Join(' ', points.Select(p => F($"{p.X:0.#},{p.Y:0.#}")))}\"/>");

    public SvgWriter Polygon(IEnumerable<(double X, double Y)> points, string cssClass) =>
        Raw($"<polygon class=\"{cssClass}\" points=\"{string.Join(' ', points.Select(p => F($"{p.X:0.#},{p.Y:0.#}")))}\"/>");

    /// <param name="anchor">start, middle or end.</param>
    public SvgWriter Text(double x, double y, string text, string cssClass, string anchor = "start", double rotate = 0) =>
        Raw(F($"<text class=\"{cssClass}\" x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"{anchor}\"") +
            (rotate == 0 ? "" : F($" transform=\"rotate({rotate:0} {x:0.#} {y:0.#})\"")) + ">" + Encode(text) + "</text>");

    /// <summary>A horizontal axis at <paramref name="y"/>: line, ticks, tick labels, grid lines up to <paramref name="gridTop"/>, and a title.</summary>
    public SvgWriter XAxis(LinearScale scale, double y, double gridTop, string title, int ticks = 6)
    {
        Raw("<g class=\"axis x-axis\">");
        string format = scale.TickFormat(ticks);
        foreach (var t in scale.Ticks(ticks))
        {
            double x = scale.Map(t);
            if (gridTop < y) Line(x, gridTop, x, y, "grid");
            Line(x, y, x, y + 5, "tick");
            Text(x, y + 17, t.ToString(format, CultureInfo.InvariantCulture), "tick-label", "middle");
        }
        Line(scale.From, y, scale.To, y, "axis-line");
        Text((scale.From + scale.To) / 2, y + 34, title, "axis-title", "middle");
        return Raw("</g>");
    }

    /// <summary>A vertical axis at <paramref name="x"/> (scale From is the bottom): ticks, labels, grid lines to <paramref name="gridRight"/>, title.</summary>
    public SvgWriter YAxis(LinearScale scale, double x, double gridRight, string title, int ticks = 5)
    {
        Raw("<g class=\"axis y-axis\">");
        string format = scale.TickFormat(ticks);
        foreach (var t in scale.Ticks(ticks))
        {
            double y = scale.Map(t);
            if (gridRight > x) Line(x, y, gridRight, y, "grid");
            Line(x - 5, y, x, y, "tick");
            Text(x - 8, y + 4, t.ToString(format, CultureInfo.InvariantCulture), "tick-label", "end");
        }
        Line(x, scale.From, x, scale.To, "axis-line");
        Text(x - 46, (scale.From + scale.To) / 2, title, "axis-title", "middle", rotate: -90);
        return Raw("</g>");
    }

    public SvgWriter Raw(string markup)
    {
        _svg.Append(markup);
        return this;
    }

    public override string ToString() => _svg + "</svg>";

    /// <summary>Escapes markup characters only: the page is UTF-8, so "÷" and "·" stay readable in the source too.</summary>
    public static string Encode(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal);

    private static string Tooltip(string? text) => text is null ? "" : "<title>" + Encode(text) + "</title>";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
