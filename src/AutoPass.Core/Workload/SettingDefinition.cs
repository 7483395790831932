using AutoPass.Core.Diagnostics;

namespace AutoPass.Core.Workload;

/// <summary>The form of a setting's value.</summary>
internal enum SettingKind { WholeNumber, Number, TrueFalse, Choice, Text, FlagList, NameList }

/// <summary>
/// One user setting, as <see cref="TuningSettings"/> lists it: its MSBuild property, its key in the request
/// file's "settings" object, the form and range of its value, its default, and the field of
/// <see cref="TuningRequest"/> it sets. Values arrive as text, the way MSBuild properties are; blank text
/// means the default.
/// </summary>
internal abstract class SettingDefinition
{
    private protected SettingDefinition(string property, string key, SettingKind kind, string expected, string help)
    {
        Property = property;
        Key = key;
        Kind = kind;
        Expected = expected;
        Help = help;
    }

    /// <summary>The MSBuild property, e.g. AutoPassMaxTrials; errors name it, since that is what the user set.</summary>
    public string Property { get; }

    /// <summary>The key in the request file's "settings" object, e.g. maxTrials.</summary>
    public string Key { get; }

    public SettingKind Kind { get; }

    /// <summary>What a valid value is, as an error's fix says it: "a whole number of at least 1".</summary>
    public string Expected { get; }

    /// <summary>One line on what the setting does.</summary>
    public string Help { get; }

    /// <summary>The default as the README and --help show it.</summary>
    public abstract string DefaultText { get; }

    /// <summary>The request with this setting read from <paramref name="text"/>; blank text gives the default.</summary>
    /// <exception cref="AutoPassException">AP1004 when the text is not of the setting's form.</exception>
    public abstract TuningRequest Apply(TuningRequest request, string? text);

    /// <summary>Throws AP1004 when the request's value of this setting is out of its range.</summary>
    public abstract void CheckRange(TuningRequest request);

    private protected AutoPassException Invalid(string value) =>
        new(DiagnosticCode.InvalidSetting, $"{Property} is '{value}'.", $"Set it to {Expected}.");
}

/// <summary>A setting whose value in <see cref="TuningRequest"/> is a <typeparamref name="T"/>.</summary>
internal sealed class SettingDefinition<T> : SettingDefinition
{
    /// <summary>Reads the text (already trimmed and not blank); false when it is not of the setting's form.</summary>
    public delegate bool Parser(string text, out T value);

    private readonly Parser _parse;
    private readonly Func<T, bool> _inRange;
    private readonly Func<T, string> _format;
    private readonly Func<TuningRequest, T> _read;
    private readonly Func<TuningRequest, T, TuningRequest> _write;
    private readonly string? _defaultDescription;

    internal SettingDefinition(string property, string key, SettingKind kind, T defaultValue, string expected, string help,
        Parser parse, Func<T, string> format, Func<TuningRequest, T> read, Func<TuningRequest, T, TuningRequest> write,
        Func<T, bool>? inRange = null, string? defaultDescription = null)
        : base(property, key, kind, expected, help)
    {
        Default = defaultValue;
        _parse = parse;
        _format = format;
        _read = read;
        _write = write;
        _inRange = inRange ?? (_ => true);
        _defaultDescription = defaultDescription;
    }

    public T Default { get; }

    /// <summary>A default that is not a value (e.g. "CMake's choice" for null) is described instead.</summary>
    public override string DefaultText => _defaultDescription ?? _format(Default);

    public T Read(TuningRequest request) => _read(request);

    /// <summary>The value as text of the setting's form (what --help and the README show).</summary>
    public string Format(T value) => _format(value);

    public override TuningRequest Apply(TuningRequest request, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return _write(request, Default);
        return _parse(text.Trim(), out var value) ? _write(request, value) : throw Invalid(text);
    }

    public override void CheckRange(TuningRequest request)
    {
        var value = _read(request);
        if (!_inRange(value)) throw Invalid(_format(value));
    }
}
