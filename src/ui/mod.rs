//! Components: shared pieces, the public pages, the admin dashboard and the partner portal.
pub mod admin;
pub mod attribution;
pub mod brand;
pub mod chart;
pub mod copy;
pub mod data_table;
pub mod forms;
pub mod gate;
pub mod list;
pub mod portal;
pub mod public;
pub mod split;
pub mod tables;
pub mod viewer;
pub mod widgets;
