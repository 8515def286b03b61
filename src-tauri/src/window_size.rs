//! A window that fits the screen it opens on. The configured size (1280×800) is more than the
//! work area of a 1024×700 screen or a 1366×768 laptop with a panel: the window's edges, with the
//! header's buttons and a kiosk's "Klaar", would be off-screen. On such a screen the window opens
//! maximised, never larger than the work area, and its minimum size gives way to the work area.

/// Logical pixels, as tauri.conf.json gives sizes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    pub width: f64,
    pub height: f64,
}

/// What to open instead of the configured size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub size: Size,
    pub min: Size,
}

/// The height a window manager's title bar may take of the work area: the minimum size leaves it
/// room, or a maximised window would be pushed past the bottom of the screen.
const TITLE_BAR: f64 = 48.0;

/// `None` when the configured size fits the work area: the window opens as configured.
pub fn fit(configured: Size, min: Size, work_area: Size) -> Option<Fit> {
    if configured.width <= work_area.width && configured.height <= work_area.height {
        return None;
    }
    let size = Size {
        width: configured.width.min(work_area.width),
        height: configured.height.min(work_area.height),
    };
    let min = Size {
        width: min.width.min(size.width),
        height: min.height.min(size.height - TITLE_BAR),
    };
    Some(Fit { size, min })
}

/// The primary screen's work area (the screen less panels and docks), in logical pixels.
pub fn work_area(app: &tauri::App) -> Option<Size> {
    let monitor = app.primary_monitor().ok().flatten()?;
    let area = monitor.work_area().size;
    let scale = monitor.scale_factor();
    Some(Size {
        width: f64::from(area.width) / scale,
        height: f64::from(area.height) / scale,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIGURED: Size = Size {
        width: 1280.0,
        height: 800.0,
    };
    const MIN: Size = Size {
        width: 1024.0,
        height: 700.0,
    };

    #[test]
    fn a_screen_that_holds_the_window_keeps_the_configured_size() {
        let full_hd = Size {
            width: 1920.0,
            height: 1080.0,
        };
        assert_eq!(fit(CONFIGURED, MIN, full_hd), None);
        assert_eq!(fit(CONFIGURED, MIN, CONFIGURED), None);
    }

    #[test]
    fn a_smaller_screen_gets_a_window_of_its_work_area() {
        let small = Size {
            width: 1024.0,
            height: 700.0,
        };
        let fitted = fit(CONFIGURED, MIN, small).expect("a window that fits");
        assert_eq!(fitted.size, small);
        assert_eq!(fitted.min.width, 1024.0);
        assert!(fitted.min.height + TITLE_BAR <= small.height);
    }

    #[test]
    fn a_laptop_with_a_panel_keeps_the_width_and_loses_height() {
        let laptop = Size {
            width: 1366.0,
            height: 740.0,
        };
        let fitted = fit(CONFIGURED, MIN, laptop).expect("a window that fits");
        assert_eq!(
            fitted.size,
            Size {
                width: 1280.0,
                height: 740.0
            }
        );
        assert_eq!(fitted.min.width, MIN.width);
        assert_eq!(fitted.min.height, 740.0 - TITLE_BAR);
    }
}
