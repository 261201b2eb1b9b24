// Promotion categories and visits, bound for Python:
//   db.promotions.create_category("staff", "Staff", discount_basis_points=2000) -> PromotionCategory
//   db.promotions.assign("staff", ana); db.promotions.assign_to_company("partner", acme)
//   db.promotions.quote(ana, 4250, "GBP", program="stars")              -> Quote
//   db.visits.record_presented("04A1B2C3", "spa")                         -> Visit
//   db.visits.count(ana, place="spa", from_=..., to=...)                  -> int
// The rules of module.cpp hold here too (binding.hpp). Money is an int of
// minor units: a float is refused with TypeError, never rounded. The core
// names the customer reference "ref"; these methods call it `customer`.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/promotions.hpp"
#include "patron/visits.hpp"

namespace patron::python {
namespace {

// A category named by its id (a str) or by a PromotionCategory snapshot.
std::string category_arg(py::handle value, std::string_view field) {
  if (py::isinstance<patron::PromotionCategory>(value)) return value.cast<const patron::PromotionCategory&>().id;
  return text(value, field);
}

patron::PromotionCategory category_def(py::handle id, py::handle name, py::handle discount, py::handle multiplier,
                                       py::handle credit_limit, py::handle credit_currency) {
  patron::PromotionCategory c;
  c.id = category_arg(id, "id");
  c.name = optional_text(name, "name");
  c.discount_basis_points = integer(discount, "discount_basis_points");
  c.earn_multiplier_percent = integer(multiplier, "earn_multiplier_percent");
  c.credit_limit = money(credit_limit, "credit_limit");
  c.credit_currency = optional_text(credit_currency, "credit_currency");
  return c;
}

std::string category_repr(const PromotionCategory& c) {
  return "<patron.PromotionCategory " + repr_of(c.id) + " name=" + repr_of(c.name) +
         " discount_basis_points=" + std::to_string(c.discount_basis_points) +
         " earn_multiplier_percent=" + std::to_string(c.earn_multiplier_percent) +
         (c.credit_limit != 0 ? " credit_limit=" + std::to_string(c.credit_limit) + " " + c.credit_currency
                              : std::string()) +
         ">";
}

void bind_promotion_values(py::module_& m) {
  py::class_<patron::PromotionCategory> category(
      m, "PromotionCategory",
      "A read-only snapshot of a promotion category ('staff', 'VIP', 'partner company'): its host-chosen id, "
      "name, discount (basis points: 1250 = 12.5%), earn multiplier (percent: 200 = double points) and purse "
      "credit limit (int minor units of credit_currency; 0 for none).");
  category.def_property_readonly("id", [](const PromotionCategory& c) { return str(c.id); })
      .def_property_readonly("name", [](const PromotionCategory& c) { return str(c.name); })
      .def_property_readonly("discount_basis_points",
                             [](const PromotionCategory& c) { return c.discount_basis_points; })
      .def_property_readonly("earn_multiplier_percent",
                             [](const PromotionCategory& c) { return c.earn_multiplier_percent; })
      .def_property_readonly("credit_limit", [](const PromotionCategory& c) { return c.credit_limit; })
      .def_property_readonly("credit_currency", [](const PromotionCategory& c) { return str(c.credit_currency); })
      .def_property_readonly("created_at", [](const PromotionCategory& c) { return datetime(c.created_at); })
      .def_property_readonly("updated_at", [](const PromotionCategory& c) { return datetime(c.updated_at); })
      .def("__repr__", &category_repr);
  bind_json_value<PromotionCategory>(category);
  category.def("__hash__", [](const PromotionCategory& c) { return py::hash(str(c.id)); });

  py::class_<patron::AppliedCategory> applied(
      m, "AppliedCategory",
      "A category as it applies to a customer: the PromotionCategory, whether it is assigned to them directly, "
      "and the companies (ids, ascending) it reaches them through.");
  applied.def_property_readonly("category", [](const AppliedCategory& a) { return a.category; })
      .def_property_readonly("direct", [](const AppliedCategory& a) { return a.direct; })
      .def_property_readonly("companies",
                             [](const AppliedCategory& a) {
                               py::list out(a.companies.size());
                               for (std::size_t i = 0; i < a.companies.size(); ++i) out[i] = py::int_(a.companies[i]);
                               return out;
                             })
      .def("__repr__", [](const AppliedCategory& a) {
        std::string companies;
        for (const std::int64_t c : a.companies) companies += (companies.empty() ? "" : ", ") + std::to_string(c);
        return "<patron.AppliedCategory " + repr_of(a.category.id) + " direct=" + (a.direct ? "True" : "False") +
               " companies=[" + companies + "]>";
      });
  bind_json_value<AppliedCategory>(applied);

  py::class_<patron::Quote> quote(
      m, "Quote",
      "What a till asks before it takes payment (nothing is written): the amount (int minor units) and "
      "currency, the best discount (basis points, and in minor units rounded down), the amount to pay, the "
      "points paying it would earn in the program (with the tier and category multipliers used), the "
      "effective purse credit limit and the credit available (balance + limit), and the categories applied.");
  quote.def_property_readonly("amount", [](const Quote& q) { return q.amount; })
      .def_property_readonly("currency", [](const Quote& q) { return str(q.currency); })
      .def_property_readonly("discount_basis_points", [](const Quote& q) { return q.discount_basis_points; })
      .def_property_readonly("discount", [](const Quote& q) { return q.discount; })
      .def_property_readonly("to_pay", [](const Quote& q) { return q.to_pay; })
      .def_property_readonly("program", [](const Quote& q) { return optional_str(q.program); })
      .def_property_readonly("points", [](const Quote& q) { return q.points; })
      .def_property_readonly("tier", [](const Quote& q) { return optional_str(q.tier); })
      .def_property_readonly("tier_multiplier_percent", [](const Quote& q) { return q.tier_multiplier_percent; })
      .def_property_readonly("category_multiplier_percent",
                             [](const Quote& q) { return q.category_multiplier_percent; })
      .def_property_readonly("credit_limit", [](const Quote& q) { return q.credit_limit; })
      .def_property_readonly("credit_available", [](const Quote& q) { return q.credit_available; })
      .def_property_readonly("categories", [](const Quote& q) { return text_list_out(q.categories); })
      .def("__repr__", [](const Quote& q) {
        return "<patron.Quote " + std::to_string(q.amount) + " " + q.currency + " discount=" +
               std::to_string(q.discount) + " to_pay=" + std::to_string(q.to_pay) +
               " points=" + std::to_string(q.points) + ">";
      });
  bind_json_value<Quote>(quote);
}

void bind_promotions_service(py::module_& m) {
  py::class_<PyPromotions> cls(
      m, "Promotions",
      "Promotion categories (db.promotions): terms a customer enjoys directly or through a company they are "
      "linked to — a discount, an earn multiplier, a purse credit limit. When several apply the customer gets "
      "the best of each term; they do not stack. quote() answers what a till should charge.");
  using P = PyPromotions;

  constexpr const char* category_args =
      "(id, name, *, discount_basis_points=0, earn_multiplier_percent=100, credit_limit=0, credit_currency='') "
      "-> PromotionCategory";
  const auto def_category = [&cls](const char* name,
                                   patron::PromotionCategory (patron::Promotions::*call)(
                                       const patron::PromotionCategory&),
                                   const std::string& doc) {
    cls.def(
        name,
        [call](P& self, py::handle id, py::handle category_name, py::handle discount, py::handle multiplier,
               py::handle credit_limit, py::handle credit_currency) {
          const patron::PromotionCategory c =
              category_def(id, category_name, discount, multiplier, credit_limit, credit_currency);
          return service_call(*self.connection, {},
                              [&](patron::Database& db) { return (db.promotions().*call)(c); });
        },
        py::arg("id"), py::arg("name"), py::kw_only(), py::arg("discount_basis_points") = 0,
        py::arg("earn_multiplier_percent") = 100, py::arg("credit_limit") = 0, py::arg("credit_currency") = "",
        doc.c_str());
  };
  def_category("create_category", &patron::Promotions::create_category,
               std::string("create_category") + category_args +
                   ". discount in basis points (1250 = 12.5%), multiplier in percent, credit_limit in int minor "
                   "units of credit_currency. Raises AlreadyExistsError (field 'id') when the id is taken.");
  def_category("update_category", &patron::Promotions::update_category,
               std::string("update_category") + category_args +
                   ". Replaces the definition (everything but the id; omitted keywords take their defaults).");

  cls.def(
      "remove_category",
      [](P& self, py::handle id) {
        const std::string i = category_arg(id, "id");
        service_call(*self.connection, {}, [&](patron::Database& db) { db.promotions().remove_category(i); });
      },
      py::arg("id"), "Removes the category; raises PreconditionError (field 'category') while it is assigned.");

  cls.def(
      "category",
      [](P& self, py::handle id) {
        const std::string i = category_arg(id, "id");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.promotions().category(i); });
      },
      py::arg("id"), "The category with that id; raises NotFoundError when there is none.");

  cls.def(
      "categories",
      [](P& self) {
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.promotions().categories(); }));
      },
      "Every category, by id.");

  // assign/unassign: idempotent, a repeat records nothing.
  const auto def_assign = [&cls](const char* name,
                                 void (patron::Promotions::*call)(std::string_view, std::string_view),
                                 const char* doc) {
    cls.def(
        name,
        [call](P& self, py::handle category, py::handle customer) {
          const std::string c = category_arg(category, "category");
          const std::string r = ref_arg(customer, "customer");
          customer_call(*self.connection, [&](patron::Database& db) { (db.promotions().*call)(c, r); });
        },
        py::arg("category"), py::arg("customer"), doc);
  };
  def_assign("assign", &patron::Promotions::assign,
             "Assigns the category to the customer directly (a no-op when it already is).");
  def_assign("unassign", &patron::Promotions::unassign,
             "Takes the category from the customer (a no-op when it was not assigned directly).");

  const auto def_company = [&cls](const char* name, void (patron::Promotions::*call)(std::string_view, std::int64_t),
                                  const char* doc) {
    cls.def(
        name,
        [call](P& self, py::handle category, py::handle company) {
          const std::string c = category_arg(category, "category");
          const std::int64_t i = id_arg<patron::Company>(company, "company");
          service_call(*self.connection, {}, [&](patron::Database& db) { (db.promotions().*call)(c, i); });
        },
        py::arg("category"), py::arg("company"), doc);
  };
  def_company("assign_to_company", &patron::Promotions::assign_to_company,
              "Assigns the category to a company (an id or a Company): it applies to every customer linked to it "
              "(a no-op when it already is).");
  def_company("unassign_from_company", &patron::Promotions::unassign_from_company,
              "Takes the category from the company (a no-op when it was not assigned).");

  cls.def(
      "categories_of",
      [](P& self, py::handle customer) {
        const std::string r = ref_arg(customer, "customer");
        return object_list(
            customer_call(*self.connection, [&](patron::Database& db) { return db.promotions().categories_of(r); }));
      },
      py::arg("customer"), "The categories that apply to the customer (AppliedCategory), by id.");

  cls.def(
      "customers_in",
      [](P& self, py::handle category, py::handle limit, py::handle offset) {
        const std::string c = category_arg(category, "category");
        const patron::Page page = page_arg(limit, offset);
        return customer_id_list(service_call(*self.connection, {}, [&](patron::Database& db) {
          return db.promotions().customers_in(c, page);
        }));
      },
      py::arg("category"), py::arg("limit") = 50, py::arg("offset") = 0,
      "The ids of the customers assigned the category directly, by customer number.");

  cls.def(
      "companies_in",
      [](P& self, py::handle category) {
        const std::string c = category_arg(category, "category");
        const std::vector<std::int64_t> ids =
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.promotions().companies_in(c); });
        py::list out(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) out[i] = py::int_(ids[i]);
        return out;
      },
      py::arg("category"), "The ids of the companies assigned the category, ascending.");

  cls.def(
      "quote",
      [](P& self, py::handle customer, py::handle amount, py::handle currency, py::handle program) {
        const std::string r = ref_arg(customer, "customer");
        const std::int64_t a = money(amount, "amount");
        const std::string c = text(currency, "currency");
        std::optional<std::string> p;
        if (!program.is_none()) p = program_arg(program, "program");
        return customer_call(*self.connection, [&](patron::Database& db) {
          return db.promotions().quote(r, a, c, p ? std::optional<std::string_view>(*p) : std::nullopt);
        });
      },
      py::arg("customer"), py::arg("amount"), py::arg("currency"), py::arg("program") = py::none(),
      "quote(customer, amount, currency, program=None) -> Quote. Writes nothing: the best discount and the "
      "amount to pay (int minor units), the points paying it would earn in the program (0 without one), and "
      "the purse credit available in the currency.");

  cls.def("__repr__", [](const P& self) { return "<patron.Promotions of " + repr_of(self.connection->path) + ">"; });
}

// ---------------------------------------------------------------------------
// Visits.

patron::VisitFilter visit_filter(py::handle place, py::handle from, py::handle to) {
  patron::VisitFilter f;
  if (!place.is_none()) f.place = text(place, "place");
  f.from = optional_time(from, "from");
  f.to = optional_time(to, "to");
  return f;
}

void bind_visits_service(py::module_& m) {
  py::class_<patron::Visit> visit(
      m, "Visit",
      "A read-only snapshot of a visit: the customer, the place (a host-named site, door or till), the "
      "credential presented (its id, or None) and the time.");
  visit.def_property_readonly("id", [](const Visit& v) { return v.id; })
      .def_property_readonly("customer", [](const Visit& v) { return str(v.customer.str()); })
      .def_property_readonly("place", [](const Visit& v) { return str(v.place); })
      .def_property_readonly("credential", [](const Visit& v) { return optional_id(v.credential); })
      .def_property_readonly("at", [](const Visit& v) { return datetime(v.at); })
      .def("__repr__", [](const Visit& v) {
        return "<patron.Visit " + std::to_string(v.id) + " customer=" + v.customer.str() + " place=" +
               repr_of(v.place) + ">";
      });
  bind_json_forms<Visit>(visit);

  py::class_<PyVisits> cls(m, "Visits",
                           "Visits (db.visits): a customer came in and presented an id at a place. Listed newest "
                           "first; filters: place, from_ (inclusive) and to (exclusive).");
  using V = PyVisits;

  cls.def(
      "record_presented",
      [](V& self, py::handle token, py::handle place, py::handle at) {
        const std::string t = text(token, "token");
        const std::string p = text(place, "place");
        const std::optional<Timestamp> when = optional_time(at, "at");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.visits().record_presented(t, p, when); });
      },
      py::arg("token"), py::arg("place"), py::arg("at") = py::none(),
      "record_presented(token, place, at=None) -> Visit. Identifies the token as a credential and records the "
      "holder's visit; raises PreconditionError (field 'token', the verdict in the message) when the credential "
      "is not accepted (unknown, blocked, lost, replaced, not yet valid, expired).");

  cls.def(
      "record",
      [](V& self, py::handle customer, py::handle place, py::handle credential, py::handle at) {
        const std::string r = ref_arg(customer, "customer");
        const std::string p = text(place, "place");
        std::optional<std::int64_t> c;
        if (!credential.is_none()) c = id_arg<patron::Credential>(credential, "credential");
        const std::optional<Timestamp> when = optional_time(at, "at");
        return customer_call(*self.connection, [&](patron::Database& db) { return db.visits().record(r, p, c, when); });
      },
      py::arg("customer"), py::arg("place"), py::arg("credential") = py::none(), py::arg("at") = py::none(),
      "record(customer, place, credential=None, at=None) -> Visit. The credential (an id or a Credential) must "
      "be the customer's: NotFoundError (field 'credential') otherwise.");

  cls.def(
      "count",
      [](V& self, py::handle customer, py::handle place, py::handle from, py::handle to) {
        const std::string r = ref_arg(customer, "customer");
        const patron::VisitFilter f = visit_filter(place, from, to);
        return customer_call(*self.connection, [&](patron::Database& db) { return db.visits().count(r, f); });
      },
      py::arg("customer"), py::kw_only(), py::arg("place") = py::none(), py::arg("from_") = py::none(),
      py::arg("to") = py::none(), "The customer's visits, counted; at `place` and in [from_, to) when given.");

  cls.def(
      "list",
      [](V& self, py::handle customer, py::handle place, py::handle from, py::handle to, py::handle limit,
         py::handle offset) {
        const std::string r = ref_arg(customer, "customer");
        const patron::VisitFilter f = visit_filter(place, from, to);
        const patron::Page page = page_arg(limit, offset);
        return object_list(
            customer_call(*self.connection, [&](patron::Database& db) { return db.visits().list(r, f, page); }));
      },
      py::arg("customer"), py::kw_only(), py::arg("place") = py::none(), py::arg("from_") = py::none(),
      py::arg("to") = py::none(), py::arg("limit") = 50, py::arg("offset") = 0,
      "The customer's visits, newest first; at `place` and in [from_, to) when given.");

  cls.def(
      "at_place",
      [](V& self, py::handle place, py::handle from, py::handle to, py::handle limit, py::handle offset) {
        const std::string p = text(place, "place");
        const patron::VisitFilter f = visit_filter(py::none(), from, to);
        const patron::Page page = page_arg(limit, offset);
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.visits().at_place(p, f, page); }));
      },
      py::arg("place"), py::kw_only(), py::arg("from_") = py::none(), py::arg("to") = py::none(),
      py::arg("limit") = 50, py::arg("offset") = 0,
      "The place's visits (any customer), newest first; in [from_, to) when given.");

  cls.def("__repr__", [](const V& self) { return "<patron.Visits of " + repr_of(self.connection->path) + ">"; });
}

}  // namespace

void bind_promotions(py::module_& m) {
  bind_promotion_values(m);
  bind_promotions_service(m);
  bind_visits_service(m);
}

}  // namespace patron::python
