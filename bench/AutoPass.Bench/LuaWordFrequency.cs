namespace AutoPass.Bench;

/// <summary>
/// The lua row's benchmark: a word-frequency script, the kind of text processing Lua is used for (pattern matching,
/// string interning, tables, a sort), and the CMakeLists.txt that mirrors Lua's own makefile, which has no CMake build.
/// </summary>
internal static class LuaWordFrequency
{
    public const string ScriptName = "wordfreq.lua";

    /// <summary>The script's path beside <paramref name="input"/>.</summary>
    public static string ScriptBeside(string input) => Path.Combine(Path.GetDirectoryName(input) ?? "", ScriptName);

    /// <summary>Writes the script beside <paramref name="input"/>; the benchmark reads the input itself.</summary>
    public static string WriteBeside(string input)
    {
        string script = ScriptBeside(input);
        if (!File.Exists(script) || File.ReadAllText(script) != Script) File.WriteAllText(script, Script);
        return input;
    }

    /// <summary>Counts, a checksum and the top words: deterministic (ties sorted by word), so any difference is a miscompile.</summary>
    private const string Script = """
        -- Word frequencies of a text file: the counts, a checksum of them and the most frequent words.
        local path, top = arg[1], tonumber(arg[2] or "20")
        local f = assert(io.open(path, "rb"))
        local text = f:read("a")
        f:close()
        local counts, distinct, total = {}, 0, 0
        for word in text:gmatch("%a+") do
          local w = word:lower()
          local c = counts[w]
          if c then counts[w] = c + 1 else counts[w] = 1; distinct = distinct + 1 end
          total = total + 1
        end
        local words = {}
        for w in pairs(counts) do words[#words + 1] = w end
        table.sort(words, function(a, b)
          local ca, cb = counts[a], counts[b]
          if ca ~= cb then return ca > cb end
          return a < b
        end)
        local sum = 0
        for i, w in ipairs(words) do sum = (sum * 31 + counts[w] * #w + i) % 1000000007 end
        print(string.format("%d words, %d distinct, checksum %d", total, distinct, sum))
        for i = 1, math.min(top, #words) do print(words[i], counts[words[i]]) end

        """;

    /// <summary>Lua's makefile as CMake: the core and libraries in a static liblua, the interpreter linked to it, its defines and options.</summary>
    public const string CMakeLists = """
        # Written by AutoPass's bench: Lua's own makefile (core and libraries in liblua.a, the lua interpreter), as CMake.
        cmake_minimum_required(VERSION 3.13)
        project(lua C)
        add_library(liblua STATIC lapi.c lcode.c lctype.c ldebug.c ldo.c ldump.c lfunc.c lgc.c llex.c lmem.c lobject.c
          lopcodes.c lparser.c lstate.c lstring.c ltable.c ltm.c lundump.c lvm.c lzio.c
          lauxlib.c lbaselib.c ldblib.c liolib.c lmathlib.c loslib.c ltablib.c lstrlib.c lutf8lib.c loadlib.c lcorolib.c linit.c)
        set_target_properties(liblua PROPERTIES OUTPUT_NAME lua C_STANDARD 99)
        target_compile_definitions(liblua PUBLIC LUA_USE_LINUX)
        target_compile_options(liblua PRIVATE -fno-stack-protector -fno-common)
        target_link_libraries(liblua PUBLIC m dl)
        add_executable(lua lua.c)
        target_link_libraries(lua PRIVATE liblua)
        target_link_options(lua PRIVATE -Wl,-E)

        """;
}
