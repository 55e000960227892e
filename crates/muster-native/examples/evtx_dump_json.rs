//! Prints the records of a binary `.evtx` as the JSON muster's Windows reader sees them:
//! `cargo run -p muster-native --example evtx_dump_json -- FILE.evtx`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: evtx_dump_json FILE.evtx")?;
    let mut parser = evtx::EvtxParser::from_path(&path)?;
    for r in parser.records_json_value() {
        match r {
            Ok(r) => println!("{}", serde_json::to_string(&r.data)?),
            Err(e) => println!("error: {e}"),
        }
    }
    Ok(())
}
