//! The integration tests, compiled as one test binary (as ripgrep does) rather than one per
//! file, so the library and its dependencies are linked once.

mod common;

mod bad_input;
mod build;
mod content;
mod diagnostics;
mod edition;
mod fuzz;
mod identical;
mod incremental;
mod interface;
mod minified;
mod municipal;
mod pages;
mod print;
mod provenance;
mod serve;
mod skeletons;
