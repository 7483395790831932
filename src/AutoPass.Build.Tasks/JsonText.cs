using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AutoPass.Build.Tasks
{
    /// <summary>A minimal JSON writer for the request file: string properties, string maps and arrays of string maps.</summary>
    internal sealed class JsonText
    {
        private readonly StringBuilder _text = new StringBuilder();
        private bool _first = true;

        public void Begin() => _text.Append('{');

        public void Property(string name, string value)
        {
            Separator();
            _text.Append(Quote(name)).Append(':').Append(Quote(value ?? ""));
        }

        public void Object(string name, IEnumerable<KeyValuePair<string, string>> fields)
        {
            Separator();
            _text.Append(Quote(name)).Append(':');
            Map(fields);
        }

        public void Array(string name, IEnumerable<IDictionary<string, string>> entries)
        {
            Separator();
            _text.Append(Quote(name)).Append(":[");
            bool firstEntry = true;
            foreach (var entry in entries)
            {
                if (!firstEntry) _text.Append(',');
                firstEntry = false;
                Map(entry);
            }
            _text.Append(']');
        }

        public string End() => _text.Append('}').ToString();

        private void Map(IEnumerable<KeyValuePair<string, string>> fields)
        {
            _text.Append('{');
            bool firstField = true;
            foreach (var pair in fields)
            {
                if (!firstField) _text.Append(',');
                firstField = false;
                _text.Append(Quote(pair.Key)).Append(':').Append(Quote(pair.Value ?? ""));
            }
            _text.Append('}');
        }

        private void Separator()
        {
            if (!_first) _text.Append(',');
            _first = false;
        }

        internal static string Quote(string value)
        {
            var quoted = new StringBuilder(value.Length + 2).Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': quoted.Append("\\\""); break;
                    case '\\': quoted.Append("\\\\"); break;
                    case '\n': quoted.Append("\\n"); break;
                    case '\r': quoted.Append("\\r"); break;
                    case '\t': quoted.Append("\\t"); break;
                    default:
                        if (c < 0x20) quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else quoted.Append(c);
                        break;
                }
            }
            return quoted.Append('"').ToString();
        }
    }
}
