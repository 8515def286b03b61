//! Every case lies where the research says it is.
use wijkkompas::content::catalog::catalog;
use wijkkompas::geo::geography;

#[test]
fn every_case_point_lies_in_its_recorded_municipality() {
    for case in catalog().cases.iter().filter(|c| !c.online) {
        let (lat, lon) = case.point().unwrap();
        let loc = geography().locate(lat, lon).unwrap();
        let recorded = case.municipality.as_ref().unwrap();
        if geography().is_official() {
            assert_eq!(loc.municipality.as_ref(), Some(recorded), "{}", case.id);
        }
        assert_eq!(loc.province.as_ref(), case.province.as_ref(), "{}", case.id);
    }
}

#[test]
fn recorded_municipalities_exist_with_their_province() {
    for case in catalog().cases.iter().filter(|c| !c.online) {
        let m = case.municipality.as_ref().unwrap();
        let (area, province) = geography()
            .municipality(&m.code)
            .unwrap_or_else(|| panic!("{}: {}", case.id, m.code));
        if !geography().is_official() {
            // The fallback knows codes but names municipalities after their largest place.
            continue;
        }
        assert_eq!(&area, m, "{}", case.id);
        assert_eq!(province.as_ref(), case.province.as_ref(), "{}", case.id);
    }
}
