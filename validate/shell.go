package validate

// ShellFileArg writes a file name as one word of a POSIX shell command
// that no command reads as an option or a protocol — the quoting of the
// hints' commands, for commands printed elsewhere (the fix command's
// ffmpeg line): a relative name starting with "-", or with a ":" before
// any "/", gets "./"; a name that needs it is quoted, as $'…' when it holds
// what the sanitiser would escape.
func ShellFileArg(name string) string { return shellArg(name) }
