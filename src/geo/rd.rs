/*! WGS84 → RD New (EPSG:28992), the Dutch national grid, for GIS exports.

Uses the published approximation polynomials of Schreutelkamp and Strang van Hees (the
"RD-NAP benadering"), accurate to about a metre within the Netherlands, which is well below the
precision of an initiative's location. Not for surveying: that needs RDNAPTRANS™. */

const PHI0: f64 = 52.155_174_40;
const LAM0: f64 = 5.387_206_21;
const X0: f64 = 155_000.0;
const Y0: f64 = 463_000.0;

/// (p, q, coefficient): X = X0 + Σ R·dφ^p·dλ^q.
const R: [(i32, i32, f64); 9] = [
    (0, 1, 190_094.945),
    (1, 1, -11_832.228),
    (2, 1, -114.221),
    (0, 3, -32.391),
    (1, 0, -0.705),
    (3, 1, -2.340),
    (1, 3, -0.608),
    (0, 2, -0.008),
    (2, 3, 0.148),
];

/// (p, q, coefficient): Y = Y0 + Σ S·dφ^p·dλ^q.
const S: [(i32, i32, f64); 10] = [
    (1, 0, 309_056.544),
    (0, 2, 3_638.893),
    (2, 0, 73.077),
    (1, 2, -157.984),
    (3, 0, 59.788),
    (0, 1, 0.433),
    (2, 2, -6.439),
    (1, 1, -0.032),
    (0, 4, 0.092),
    (1, 4, -0.054),
];

/// RD New x and y in metres for a WGS84 point, rounded to centimetres.
pub fn to_rd(lat: f64, lon: f64) -> (f64, f64) {
    let dphi = 0.36 * (lat - PHI0);
    let dlam = 0.36 * (lon - LAM0);
    let sum = |terms: &[(i32, i32, f64)]| {
        terms
            .iter()
            .map(|&(p, q, c)| c * dphi.powi(p) * dlam.powi(q))
            .sum::<f64>()
    };
    let round = |v: f64| (v * 100.0).round() / 100.0;
    (round(X0 + sum(&R)), round(Y0 + sum(&S)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amersfoort_is_the_origin() {
        assert_eq!(to_rd(PHI0, LAM0), (155_000.0, 463_000.0));
    }

    #[test]
    fn published_reference_points_agree_within_a_few_metres() {
        // Westertoren (Amsterdam) and Martinitoren (Groningen), as published with the method.
        for ((lat, lon), (x, y)) in [
            ((52.374_532_53, 4.883_525_59), (120_700.723, 487_525.501)),
            ((53.219_383_17, 6.568_200_53), (233_883.131, 582_065.167)),
        ] {
            let (rx, ry) = to_rd(lat, lon);
            assert!(
                (rx - x).abs() < 2.0 && (ry - y).abs() < 2.0,
                "({rx}, {ry}) vs ({x}, {y})"
            );
        }
    }
}
