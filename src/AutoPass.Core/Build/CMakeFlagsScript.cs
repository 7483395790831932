using System.Globalization;
using System.Text;
using NuGet.Versioning;

namespace AutoPass.Core.Build;

/// <summary>
/// The CMake script that applies a flag set: loaded through CMAKE_PROJECT_INCLUDE, so it runs right after
/// the project's own project() call and needs no change to the project. Candidate builds use the same
/// script as the pinned file, so what was measured is what gets pinned.
/// </summary>
/// <remarks>
/// What it does, in order: includes the project's own CMAKE_PROJECT_INCLUDE (AUTOPASS_USER_PROJECT_INCLUDE) after
/// every project() call, as CMake would have; runs the rest once (include_guard), so nested project() calls add
/// nothing; stops on AUTOPASS_DISABLE; and at the end of the top directory (cmake_language(DEFER), CMake 3.19+) gives
/// the flags to the project's own targets only: those under the top source directory that are not FetchContent
/// dependencies (not under the build tree or FETCHCONTENT_BASE_DIR, not a populated dependency's source directory,
/// not under AUTOPASS_EXCLUDE_DIRS). ExternalProject dependencies configure on their own and never see it. -flto is
/// applied the way CMake does link-time optimization (INTERPROCEDURAL_OPTIMIZATION, with gcc-ar/llvm-ar for static
/// libraries) when the project allows it (policy CMP0069 NEW), else as the raw flag.
/// </remarks>
internal static class CMakeFlagsScript
{
    /// <summary>The build types the flags apply to when the session does not say: what teams ship.</summary>
    public static readonly IReadOnlyList<string> DefaultBuildTypes = ["Release", "RelWithDebInfo"];

    /// <summary>The variable through which the script includes the project's own CMAKE_PROJECT_INCLUDE.</summary>
    public const string UserIncludeVariable = "AUTOPASS_USER_PROJECT_INCLUDE";

    /// <summary>The variable that turns the flags off (the user's include still runs).</summary>
    public const string DisableVariable = "AUTOPASS_DISABLE";

    /// <summary>The variable prefix of the per-file lines: set(AUTOPASS_FILE_&lt;n&gt; "&lt;path&gt;" "&lt;flag&gt;"...).</summary>
    public const string FileVariablePrefix = "AUTOPASS_FILE_";

    /// <param name="flags">The project-wide flags (every own target).</param>
    /// <param name="files">Flags for single source files (paths relative to the top source directory, or absolute), after the project-wide ones.</param>
    /// <param name="tunedFor">The compiler the flags were tuned for: the script applies them only when CMake builds C and C++ with it
    /// (the pinned file); null: with whatever compiler (a candidate build, whose compiler is the session's).</param>
    /// <param name="dispatch">CMake lines that run first, before anything of this set (the pinned file's choice of a machine class's set).</param>
    public static string Render(IReadOnlyList<string> flags, string headerComment, IReadOnlyList<string>? buildTypes = null, IReadOnlyList<FileFlags>? files = null,
        TunedCompiler? tunedFor = null, string? dispatch = null)
    {
        buildTypes = buildTypes is { Count: > 0 } ? buildTypes : DefaultBuildTypes;
        var text = new StringBuilder();
        foreach (var line in headerComment.Split('\n'))
            text.Append("# ").AppendLine(line.TrimEnd());
        text.Append(dispatch);
        text.Append($$"""
            #
            # Load it with -DCMAKE_PROJECT_INCLUDE=<path to this file> or a CMakePresets.json cacheVariables entry. A
            # CMAKE_PROJECT_INCLUDE of your own goes in {{UserIncludeVariable}}: this file includes it after every project().
            # The flags apply to C and C++ of the project's own targets in the build types of AUTOPASS_CONFIGS; they come
            # after CMAKE_<LANG>_FLAGS_<CONFIG>, so they win. FetchContent dependencies do not get them (list more
            # directories to leave alone in AUTOPASS_EXCLUDE_DIRS). Set {{DisableVariable}}=ON to build without them.
            if({{UserIncludeVariable}} AND NOT {{UserIncludeVariable}} STREQUAL CMAKE_CURRENT_LIST_FILE)
              include("${{{UserIncludeVariable}}}")
            endif()
            include_guard(GLOBAL)
            if({{DisableVariable}})
              return()
            endif()

            """);
        // Every pinned flag on this one line, in order: verify reads it back (PinnedSetConsistency).
        text.Append("set(AUTOPASS_FLAGS").Append(string.Concat(flags.Select(f => " " + Quote(f)))).AppendLine(")");
        // One line a file, its path first: verify reads them back too.
        files ??= [];
        for (int i = 0; i < files.Count; i++)
            text.Append($"set({FileVariablePrefix}{i + 1} ").Append(Quote(files[i].Path.Replace('\\', '/'))).Append(string.Concat(files[i].Flags.Select(f => " " + Quote(f)))).AppendLine(")");
        text.AppendLine($"set({FileVariablePrefix}COUNT {files.Count})");
        text.AppendLine("if(NOT AUTOPASS_CONFIGS)");
        text.Append("  set(AUTOPASS_CONFIGS").Append(string.Concat(buildTypes.Select(t => " " + Quote(t)))).AppendLine(")");
        text.AppendLine("endif()");
        text.Append(OtherCompilerCheck(tunedFor));
        text.Append(Body);
        return text.ToString();
    }

    /// <summary>
    /// _autopass_other_compiler(result): the C or C++ compiler of this build ("Clang 14.0.6") when it is not the one the
    /// flags were tuned for, else empty. Flags of one compiler are errors or different optimizations to another, and of one
    /// major version may be gone in the next, so a build with another leaves them all out and says so.
    /// </summary>
    private static string OtherCompilerCheck(TunedCompiler? tunedFor)
    {
        if (tunedFor is null)
            return """
                function(_autopass_other_compiler result)
                  set(${result} "" PARENT_SCOPE)
                endfunction()

                """;
        // CMake's ids: AppleClang is another compiler (its versions count differently).
        string cmakeId = tunedFor.Id switch
        {
            "gcc" => "GNU",
            "clang" => "Clang",
            _ => throw new ArgumentException($"No CMake compiler id for '{tunedFor.Id}'."),
        };
        var range = tunedFor.Versions;
        var outside = new List<string> { $"NOT id STREQUAL \"{cmakeId}\"" };
        if (range.HasLowerBound)
            outside.Add($"version {(range.IsMinInclusive ? "VERSION_LESS" : "VERSION_LESS_EQUAL")} \"{CMakeVersion(range.MinVersion!)}\"");
        if (range.HasUpperBound)
            outside.Add($"version {(range.IsMaxInclusive ? "VERSION_GREATER" : "VERSION_GREATER_EQUAL")} \"{CMakeVersion(range.MaxVersion!)}\"");
        return $$"""
            # Tuned for {{tunedFor.Id}} {{range.ToNormalizedString()}}: built with another compiler or version, the project gets none of these flags.
            set(AUTOPASS_TUNED_FOR "{{tunedFor.Id}} {{range.ToNormalizedString()}}")
            function(_autopass_other_compiler result)
              set(${result} "" PARENT_SCOPE)
              get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
              foreach(language C CXX)
                list(FIND languages ${language} enabled)
                if(enabled GREATER -1)
                  set(id "${CMAKE_${language}_COMPILER_ID}")
                  set(version "${CMAKE_${language}_COMPILER_VERSION}")
                  if({{string.Join(" OR ", outside)}})
                    set(${result} "${id} ${version}" PARENT_SCOPE)
                    return()
                  endif()
                endif()
              endforeach()
            endfunction()

            """;
    }

    /// <summary>A version as CMake compares it: major.minor.patch, without NuGet's release labels.</summary>
    private static string CMakeVersion(NuGetVersion version) =>
        string.Create(CultureInfo.InvariantCulture, $"{version.Major}.{version.Minor}.{version.Patch}");

    private const string Body = """
        # -flto, -flto=auto, -flto=N: what CMake's INTERPROCEDURAL_OPTIMIZATION stands for (not -flto-partition=...).
        set(_autopass_other_flags ${AUTOPASS_FLAGS})
        list(FILTER _autopass_other_flags EXCLUDE REGEX "^-flto(=.*)?$")
        set(_autopass_lto_flags ${AUTOPASS_FLAGS})
        list(FILTER _autopass_lto_flags INCLUDE REGEX "^-flto(=.*)?$")
        set(_autopass_in_config "")
        foreach(_autopass_config IN LISTS AUTOPASS_CONFIGS)
          list(APPEND _autopass_in_config "$<CONFIG:${_autopass_config}>")
        endforeach()
        string(REPLACE ";" "," _autopass_in_config "$<OR:${_autopass_in_config}>")

        # Says once, at configure time, why nothing is applied; true when so.
        function(_autopass_leave_out_for_other_compiler result)
          _autopass_other_compiler(other)
          if(other)
            message(STATUS "AutoPass: the pinned flags are left out: they were tuned for ${AUTOPASS_TUNED_FOR} and this build compiles with ${other}")
            set(${result} TRUE PARENT_SCOPE)
          else()
            set(${result} FALSE PARENT_SCOPE)
          endif()
        endfunction()

        if(CMAKE_VERSION VERSION_LESS 3.19)
          _autopass_leave_out_for_other_compiler(_autopass_left_out)
          if(_autopass_left_out)
            return()
          endif()
          # No deferred calls: the flags go to this directory and everything below it, dependencies included.
          add_compile_options("$<$<AND:${_autopass_in_config},$<COMPILE_LANGUAGE:C,CXX>>:${AUTOPASS_FLAGS}>")
          add_link_options("$<${_autopass_in_config}:${AUTOPASS_FLAGS}>")
          # Per-file flags: for the sources of this directory's targets only.
          if(AUTOPASS_FILE_COUNT GREATER 0)
            foreach(_autopass_i RANGE 1 ${AUTOPASS_FILE_COUNT})
              set(_autopass_file_flags ${AUTOPASS_FILE_${_autopass_i}})
              list(GET _autopass_file_flags 0 _autopass_file)
              list(REMOVE_AT _autopass_file_flags 0)
              get_filename_component(_autopass_file "${_autopass_file}" ABSOLUTE BASE_DIR "${CMAKE_SOURCE_DIR}")
              set_property(SOURCE "${_autopass_file}" APPEND PROPERTY COMPILE_OPTIONS "$<$<AND:${_autopass_in_config},$<COMPILE_LANGUAGE:C,CXX>>:${_autopass_file_flags}>")
            endforeach()
          endif()
          return()
        endif()

        function(_autopass_is_under path dirs result)
          get_filename_component(path "${path}" ABSOLUTE)
          foreach(dir IN LISTS dirs)
            get_filename_component(dir "${dir}" ABSOLUTE)
            string(FIND "${path}/" "${dir}/" at)
            if(at EQUAL 0)
              set(${result} TRUE PARENT_SCOPE)
              return()
            endif()
          endforeach()
          set(${result} FALSE PARENT_SCOPE)
        endfunction()

        # Runs at the end of the top directory, when every target exists.
        function(_autopass_apply_to_own_targets)
          # Checked here, when every language the project enables is enabled.
          _autopass_leave_out_for_other_compiler(left_out)
          if(left_out)
            return()
          endif()
          set(not_ours ${AUTOPASS_EXCLUDE_DIRS})
          _autopass_is_under("${CMAKE_SOURCE_DIR}" "${CMAKE_BINARY_DIR}" in_source_build)
          if(NOT in_source_build)
            list(APPEND not_ours "${CMAKE_BINARY_DIR}")
          endif()
          if(FETCHCONTENT_BASE_DIR)
            list(APPEND not_ours "${FETCHCONTENT_BASE_DIR}")
          endif()
          get_cmake_property(variables VARIABLES)
          foreach(variable IN LISTS variables)
            if(variable MATCHES "^(.+)_POPULATED$")
              set(dependency "${CMAKE_MATCH_1}")
              if(${variable} AND ${dependency}_SOURCE_DIR)
                list(APPEND not_ours "${${dependency}_SOURCE_DIR}")
              endif()
            endif()
          endforeach()

          set(use_ipo FALSE)
          if(_autopass_lto_flags)
            cmake_policy(GET CMP0069 ipo_policy)
            if(ipo_policy STREQUAL "NEW")
              get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
              list(FILTER languages INCLUDE REGEX "^(C|CXX)$")
              if(languages)
                include(CheckIPOSupported)
                check_ipo_supported(RESULT use_ipo OUTPUT ipo_output LANGUAGES ${languages})
              endif()
            endif()
            if(NOT use_ipo)
              message(STATUS "AutoPass: link-time optimization as the raw flags ${_autopass_lto_flags} (CMake's INTERPROCEDURAL_OPTIMIZATION needs policy CMP0069 NEW and a toolchain that supports it)")
            endif()
          endif()
          set(flags ${AUTOPASS_FLAGS})
          if(use_ipo)
            set(flags ${_autopass_other_flags})
          endif()

          set(directories "${CMAKE_SOURCE_DIR}")
          set(own_targets "")
          while(directories)
            list(POP_FRONT directories directory)
            get_property(subdirectories DIRECTORY "${directory}" PROPERTY SUBDIRECTORIES)
            list(APPEND directories ${subdirectories})
            get_property(targets DIRECTORY "${directory}" PROPERTY BUILDSYSTEM_TARGETS)
            foreach(target IN LISTS targets)
              get_target_property(type ${target} TYPE)
              if(NOT type MATCHES "^(EXECUTABLE|STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY)$")
                continue()
              endif()
              get_target_property(source_dir ${target} SOURCE_DIR)
              _autopass_is_under("${source_dir}" "${CMAKE_SOURCE_DIR}" inside)
              _autopass_is_under("${source_dir}" "${not_ours}" excluded)
              if(NOT inside OR excluded)
                continue()
              endif()
              list(APPEND own_targets ${target})
              target_compile_options(${target} PRIVATE "$<$<AND:${_autopass_in_config},$<COMPILE_LANGUAGE:C,CXX>>:${flags}>")
              if(type MATCHES "^(EXECUTABLE|SHARED_LIBRARY|MODULE_LIBRARY)$")
                target_link_options(${target} PRIVATE "$<${_autopass_in_config}:${flags}>")
              endif()
              if(use_ipo)
                foreach(config IN LISTS AUTOPASS_CONFIGS)
                  string(TOUPPER "${config}" config)
                  set_property(TARGET ${target} PROPERTY INTERPROCEDURAL_OPTIMIZATION_${config} ON)
                endforeach()
              endif()
            endforeach()
          endwhile()
          # Per-file flags, after the targets' own: in every directory that has one of the project's targets, so
          # whichever target compiles the file compiles it with them (files of dependencies never match).
          if(AUTOPASS_FILE_COUNT GREATER 0)
            set(own_directories "")
            foreach(target IN LISTS own_targets)
              get_target_property(source_dir ${target} SOURCE_DIR)
              list(APPEND own_directories "${source_dir}")
            endforeach()
            list(REMOVE_DUPLICATES own_directories)
            foreach(i RANGE 1 ${AUTOPASS_FILE_COUNT})
              set(file_flags ${AUTOPASS_FILE_${i}})
              list(GET file_flags 0 file)
              list(REMOVE_AT file_flags 0)
              get_filename_component(file "${file}" ABSOLUTE BASE_DIR "${CMAKE_SOURCE_DIR}")
              if(own_directories AND file_flags)
                set_property(SOURCE "${file}" DIRECTORY ${own_directories} APPEND PROPERTY COMPILE_OPTIONS
                  "$<$<AND:${_autopass_in_config},$<COMPILE_LANGUAGE:C,CXX>>:${file_flags}>")
              endif()
            endforeach()
            message(STATUS "AutoPass: flags of their own for ${AUTOPASS_FILE_COUNT} source files")
          endif()
          list(LENGTH own_targets count)
          message(STATUS "AutoPass: flags for the project's own ${count} targets in ${AUTOPASS_CONFIGS}; link-time optimization through CMake: ${use_ipo}")
        endfunction()

        cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _autopass_apply_to_own_targets)

        """;

    /// <summary>CMake bracket-free quoting: flags passed the policy gate, so only plain characters remain.</summary>
    private static string Quote(string flag)
    {
        if (flag.IndexOfAny(['"', '\\', '$', ';', '\n']) >= 0)
            throw new ArgumentException($"Flag '{flag}' cannot be written to a CMake script.");
        return "\"" + flag + "\"";
    }
}

/// <summary>The compiler a pinned flag set was tuned for: its id ("gcc" or "clang") and the versions it holds for.</summary>
internal sealed record TunedCompiler(string Id, VersionRange Versions);

/// <summary>Flags for one source file, on top of (after) the project-wide flags.</summary>
/// <param name="Path">Relative to the top source directory ('/'-separated), or absolute.</param>
internal sealed record FileFlags(string Path, IReadOnlyList<string> Flags);
