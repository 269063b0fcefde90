//! `cargo xtask codegen`: regenerates the checked-in keyword catalogue.

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!("codegen takes no arguments, got {extra:?}"));
    }
    let root = model_codegen::workspace_root();
    let source = model_codegen::generate(&model_codegen::reference_dir(&root))?;
    let path = root.join(model_codegen::GENERATED_PATH);
    let unchanged = std::fs::read_to_string(&path).is_ok_and(|old| old == source);
    if unchanged {
        eprintln!("xtask: {} is up to date", model_codegen::GENERATED_PATH);
        return Ok(());
    }
    std::fs::write(&path, source).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("xtask: wrote {}", model_codegen::GENERATED_PATH);
    Ok(())
}
