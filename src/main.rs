fn main() {
    let code = sasguard::cli::main(std::env::args_os());
    std::process::exit(code);
}
