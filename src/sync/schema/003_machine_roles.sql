-- Shared schema: a machine's id belongs to the database account (role) that first sent as it.
-- Another account can neither rename it nor send records as it; a superuser can hand it over
-- (UPDATE wijkkompas.machines SET role = …). Every statement may run again on a schema that has
-- it already, so that this version stands on its own beside the others.
ALTER TABLE wijkkompas.machines ADD COLUMN IF NOT EXISTS role text;

CREATE OR REPLACE FUNCTION wijkkompas.may_act_as(machine_role text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT machine_role IS NULL OR machine_role = current_user
        OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
$$;

-- A machine's row: claimed by the account that writes it, changed by no other.
CREATE OR REPLACE FUNCTION wijkkompas.machine_belongs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NOT wijkkompas.may_act_as(OLD.role) THEN
        RAISE EXCEPTION 'machine % belongs to the account %', OLD.id, OLD.role
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.role IS NOT NULL AND NOT wijkkompas.may_act_as(NEW.role)
       AND (TG_OP = 'INSERT' OR NEW.role IS DISTINCT FROM OLD.role) THEN
        RAISE EXCEPTION 'machine % cannot be given to the account %', NEW.id, NEW.role
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS machine_belongs ON wijkkompas.machines;
CREATE TRIGGER machine_belongs BEFORE INSERT OR UPDATE ON wijkkompas.machines
    FOR EACH ROW EXECUTE FUNCTION wijkkompas.machine_belongs();

-- Records sent as a machine of another account are refused: checked once per statement, over
-- the rows it added.
CREATE OR REPLACE FUNCTION wijkkompas.sent_by_own_machine() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    taken uuid;
BEGIN
    SELECT m.id INTO taken FROM added a JOIN wijkkompas.machines m ON m.id = a.sent_by
    WHERE NOT wijkkompas.may_act_as(m.role) LIMIT 1;
    IF taken IS NOT NULL THEN
        RAISE EXCEPTION 'records cannot be sent as machine %, which belongs to another account', taken
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS initiatives_sent_by_own_machine ON wijkkompas.initiatives;
CREATE TRIGGER initiatives_sent_by_own_machine AFTER INSERT ON wijkkompas.initiatives
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION wijkkompas.sent_by_own_machine();
DROP TRIGGER IF EXISTS self_checks_sent_by_own_machine ON wijkkompas.self_checks;
CREATE TRIGGER self_checks_sent_by_own_machine AFTER INSERT ON wijkkompas.self_checks
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION wijkkompas.sent_by_own_machine();
DROP TRIGGER IF EXISTS review_log_sent_by_own_machine ON wijkkompas.review_log;
CREATE TRIGGER review_log_sent_by_own_machine AFTER INSERT ON wijkkompas.review_log
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION wijkkompas.sent_by_own_machine();
DROP TRIGGER IF EXISTS tombstones_sent_by_own_machine ON wijkkompas.tombstones;
CREATE TRIGGER tombstones_sent_by_own_machine AFTER INSERT ON wijkkompas.tombstones
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION wijkkompas.sent_by_own_machine();
